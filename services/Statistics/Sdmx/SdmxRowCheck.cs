using System.Globalization;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Statistics.Sdmx.Mappings;

namespace Lmis.Statistics.Sdmx;

/// <summary>
/// Checks each row of an upload against its data structure, once its columns are known: the same rules for SDMX-CSV
/// and SDMX-ML (docs/statistics.md lists them and their errors). A file read through a <see cref="SourceMapping"/> has
/// its fields translated first. Holds the keys already seen, to find a (series, period) given twice, and gathers the
/// classification codes the valid rows use.
/// </summary>
internal sealed class SdmxRowCheck(
    SdmxCsvColumns columns, string[] fileHeader, MappedHeader? mapped, Region? region, bool labelled, Dictionary<string, HashSet<string>> codesToCheck)
{
    private readonly SeenKeys _seen = new();
    private readonly Dictionary<string, HashSet<string>> _codesToCheck = codesToCheck;
    private readonly Region? _region = region;
    private readonly bool _labelled = labelled;

    /// <summary>One row, its fields in the order of the file's header.</summary>
    public SdmxRow Check(IReadOnlyList<string> fields, int line)
    {
        // Text that is not text (a NUL, bytes that are not UTF-8) is refused before anything is read from it.
        List<FieldError>? errors = null;
        for (var i = 0; i < fields.Count; i++)
        {
            if (TextProblem(fields[i]) is { } problem)
            {
                (errors ??= []).Add(new FieldError($"line {line}, {fileHeader[i]}", fields[i], problem));
            }
        }

        if (errors is not null)
        {
            return new SdmxRow(line, SdmxAction.Information, null, errors);
        }

        var read = mapped is null ? fields : mapped.Translate(fields, line, _labelled, ref errors);
        return ReadRow(read, line, columns, _seen, errors);
    }

    /// <summary>
    /// The structure a reference names among those known, and the mapping it is read through when it names another
    /// agency's dataflow; null with the reason when it names neither.
    /// </summary>
    public static DataStructure? Resolve(
        string named, IReadOnlyList<DataStructure> known, SourceMappings? mappings, out SourceMapping? mapping, out string reason)
    {
        (mapping, reason) = (null, string.Empty);
        if (TextProblem(named) is { } text)
        {
            reason = text;
            return null;
        }

        if (!StructureReference.TryParse(named, out var reference))
        {
            reason = "a structure reference AGENCY:ID(VERSION), e.g. RCM:DF_UNE_RT(1.0)";
            return null;
        }

        if (known.FirstOrDefault(s => s.Reference == reference) is { } found)
        {
            return found;
        }

        if (mappings?.Find(reference!) is { } through && known.Any(k => k.Reference == through.Target.Reference))
        {
            mapping = through;
            return through.Target;
        }

        var mapped = mappings?.All.Where(m => known.Contains(m.Target)).SelectMany(m => m.Sources).ToList() ?? [];
        reason = $"not a dataflow this service knows ({string.Join(", ", known.Select(k => k.Reference))})"
            + (mapped.Count > 0 ? $" nor one it maps from ({string.Join(", ", mapped)})" : string.Empty);
        return null;
    }

    /// <summary>
    /// A row whose text is sound: what it asks, its series key, period, attributes and value, each read by its own
    /// rule below; then whether its (series, period) came earlier in the file.
    /// </summary>
    private SdmxRow ReadRow(IReadOnlyList<string> fields, int line, SdmxCsvColumns columns, SeenKeys seen, List<FieldError>? errors)
    {
        var faults = new RowFaults(line, columns.Header, errors);
        var action = ReadAction(fields, columns, faults);
        var key = ReadKey(fields, columns, faults);
        var period = ReadPeriod(fields, columns, key, faults);
        var attributes = ReadAttributes(fields, columns, faults);
        var number = ReadValue(fields, columns, attributes, action, faults);
        if (faults.Errors is not null || period is not { } valid)
        {
            // An unread period is one of the errors.
            return new SdmxRow(line, action, null, faults.Errors ?? []);
        }

        var seriesKey = DataStructure.SeriesKey(key);
        if (seen.FirstLine(seriesKey, valid, line) is { } first)
        {
            return new SdmxRow(line, action, null,
                [new FieldError($"line {line}, {columns.Header[columns.Time]}", fields[columns.Time], $"series {seriesKey} already has {valid} on line {first}")]);
        }

        columns.Gather(key, attributes, _codesToCheck);
        return new SdmxRow(line, action, new Observation(columns.Structure, key, seriesKey, valid, number, attributes), []);
    }

    /// <summary>Which structure the row is for (the file's one), of which kind, and what it asks (ACTION).</summary>
    private static SdmxAction ReadAction(IReadOnlyList<string> fields, SdmxCsvColumns columns, RowFaults faults)
    {
        var structure = columns.Structure;
        var reference = fields[columns.Reference];
        if (!string.Equals(reference, structure.Reference.ToString(), StringComparison.Ordinal))
        {
            faults.Add(columns.Reference, reference, $"the file is for {structure.Reference}: one file carries one dataflow");
        }

        if (columns.StructureType >= 0)
        {
            var type = fields[columns.StructureType];
            if (!type.Equals("dataflow", StringComparison.OrdinalIgnoreCase) && !type.Equals("datastructure", StringComparison.OrdinalIgnoreCase))
            {
                faults.Add(columns.StructureType, type, "must be dataflow or datastructure");
            }
        }

        if (columns.Action < 0)
        {
            return SdmxAction.Information;
        }

        var text = fields[columns.Action];
        switch (text)
        {
            case "" or "I": return SdmxAction.Information;
            case "A": return SdmxAction.Append;
            case "R": return SdmxAction.Replace;
            case "D": return SdmxAction.Delete;
            default:
                faults.Add(columns.Action, text, "must be I (information), A (append), R (replace) or D (delete)");
                return SdmxAction.Information;
        }
    }

    /// <summary>The series key: a code of its list for every dimension.</summary>
    private string[] ReadKey(IReadOnlyList<string> fields, SdmxCsvColumns columns, RowFaults faults)
    {
        var structure = columns.Structure;
        var key = new string[structure.Dimensions.Count];
        for (var d = 0; d < key.Length; d++)
        {
            var column = columns.Dimensions[d];
            var dimension = structure.Dimensions[d];
            var value = Coded(fields[column], dimension.Codes);
            key[d] = value;
            if (value.Length == 0)
            {
                faults.Add(column, null, "required: every dimension needs a value");
            }
            else if (dimension.Codes.Check(value) is { } reason)
            {
                faults.Add(column, value, reason);
            }
        }

        return key;
    }

    /// <summary>The period, which must be of the series' frequency; null when it cannot be read.</summary>
    private static TimePeriod? ReadPeriod(IReadOnlyList<string> fields, SdmxCsvColumns columns, string[] key, RowFaults faults)
    {
        var text = fields[columns.Time];
        if (!TimePeriod.TryRead(text, out var period, out var error))
        {
            faults.Add(columns.Time, text, error!);
            return null;
        }

        var frequency = columns.Frequency;
        if (frequency >= 0 && key[frequency].Length == 1 && key[frequency][0] != period.FrequencyCode
            && columns.Structure.Dimensions[frequency].Codes.Check(key[frequency]) is null)
        {
            faults.Add(columns.Time, text,
                $"a period of frequency {period.FrequencyCode} in a series of frequency {key[frequency]} ({DataStructure.FrequencyDimension})");
        }

        return period;
    }

    /// <summary>The attributes: null where not given, a code of its list where it has one, present where mandatory.</summary>
    private string?[] ReadAttributes(IReadOnlyList<string> fields, SdmxCsvColumns columns, RowFaults faults)
    {
        var structure = columns.Structure;
        var attributes = new string?[structure.Attributes.Count];
        for (var a = 0; a < attributes.Length; a++)
        {
            var column = columns.Attributes[a];
            var definition = structure.Attributes[a];
            var value = column >= 0 ? fields[column] : string.Empty;
            if (definition.Codes is not null)
            {
                value = Coded(value, definition.Codes);
            }

            if (value.Length == 0)
            {
                if (definition.Mandatory && column >= 0)
                {
                    faults.Add(column, null, "required: every observation of this dataflow needs it");
                }
                else if (definition.Mandatory)
                {
                    faults.Add(definition.Id, null, "required: the file has no such column");
                }

                continue;
            }

            attributes[a] = value;
            if (definition.Codes?.Check(value) is { } reason)
            {
                faults.Add(column, value, reason);
            }
        }

        return attributes;
    }

    /// <summary>The value: a number within the dataflow's rule, or nothing for a missing one (status M) or a deletion.</summary>
    private static decimal? ReadValue(IReadOnlyList<string> fields, SdmxCsvColumns columns, string?[] attributes, SdmxAction action, RowFaults faults)
    {
        var missing = columns.Status >= 0 && attributes[columns.Status] == CodeLists.Missing;
        var text = fields[columns.Value];
        if (text.Length == 0 || text.Equals("NaN", StringComparison.OrdinalIgnoreCase))
        {
            if (!missing && action != SdmxAction.Delete)
            {
                faults.Add(columns.Value, text, "a number is required, unless OBS_STATUS is M (missing value)");
            }

            return null;
        }

        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            faults.Add(columns.Value, text, "not a number: digits with a '.' for decimals and no thousands separators, e.g. 1520 or 5.25");
            return null;
        }

        if (missing)
        {
            faults.Add(columns.Value, text, "OBS_STATUS M says the value is missing: leave OBS_VALUE empty");
        }
        else if (columns.Structure.Values.Check(columns.Structure, number, UnitMultiplier(attributes, columns)) is { } broken)
        {
            faults.Add(columns.Value, text, broken);
        }

        return number;
    }

    /// <summary>The row's UNIT_MULT, 0 when it has none (or one already refused).</summary>
    private static int UnitMultiplier(string?[] attributes, SdmxCsvColumns columns) =>
        columns.Multiplier >= 0 && int.TryParse(attributes[columns.Multiplier], CultureInfo.InvariantCulture, out var power) && power is >= 0 and <= 9 ? power : 0;

    /// <summary>
    /// Why a value is not text a person wrote, or null: control characters other than tab and line breaks (a NUL
    /// most often, from a binary file or a UTF-16 file read as UTF-8), U+FFFD where bytes were not UTF-8, and a byte
    /// order mark inside the text.
    /// </summary>
    internal static string? TextProblem(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var reason = c switch
            {
                '\uFFFD' => "bytes that are not UTF-8: send the file in UTF-8 (not Windows-1252, Latin-1 or UTF-16)",
                '\uFEFF' => "a byte order mark inside the text: only the file's very start may carry one",
                '\t' or '\n' or '\r' => null,
                _ when c < ' ' || c == '\u007F' => $"the control character U+{(int)c:X4}: a value is text, without control characters",
                _ => null,
            };
            if (reason is not null)
            {
                return $"character {i + 1}: {reason}";
            }
        }

        return null;
    }

    /// <summary>
    /// A coded value as the structure knows it: without the label SDMX-CSV 2.0 adds with <c>labels=both</c>
    /// (<c>MEX: Mexico</c>, only when the header has labels too), and a member state's alpha-2 code as its alpha-3.
    /// </summary>
    private string Coded(string value, Representation codes)
    {
        if (_labelled && value.IndexOf(": ", StringComparison.Ordinal) is var colon and > 0)
        {
            value = value[..colon].TrimEnd();
        }

        if (value.Length == 2 && _region is not null && codes is ClassificationCodes { Prefix.Length: 0, Kind: ClassificationKinds.MemberState or ClassificationKinds.Country }
            && _region.Find(value) is { } member)
        {
            value = member.Alpha3;
        }

        return value;
    }
}
