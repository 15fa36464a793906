using System.Globalization;
using System.Runtime.CompilerServices;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;

namespace Lmis.Statistics.Sdmx;

/// <summary>Which SDMX-CSV an upload is written in.</summary>
public enum SdmxCsvVersion
{
    /// <summary>Not known yet: the header has not been read, or could not be.</summary>
    Unknown,

    /// <summary>SDMX-CSV 1.0: first column DATAFLOW (what ILOSTAT answers with).</summary>
    V1,

    /// <summary>SDMX-CSV 2.0: first columns STRUCTURE, STRUCTURE_ID and optionally ACTION.</summary>
    V2,
}

/// <summary>
/// Reads an SDMX-CSV upload (1.0 or 2.0) row by row, checking each row against its data structure (docs/statistics.md
/// lists the rules and their errors). Nothing but the current row and the keys already seen is held, so a file of
/// millions of rows streams through; the keys (about 30 bytes a row) are what finds a (series, period) given twice.
/// <para>
/// The separator (',' or ';') is taken from the header line alone. Headers may be <c>ID</c> or <c>ID: Label</c>, in
/// any order. The structure is the one given, or else the built-in one the first data row names; one file carries
/// one dataflow. A reader never throws for what the file holds: a header it cannot use is one row for line 1 with
/// its errors, after which nothing more is read.
/// </para>
/// <para>
/// Classification codes (occupations, countries, currencies) are only checked for their form here; those the file
/// uses are gathered in <see cref="CodesToCheck"/> for the caller to check against the taxonomy and the region.
/// </para>
/// </summary>
public sealed class SdmxCsvReader
{
    /// <summary>How far the header line is looked into for its separator.</summary>
    private const int HeaderLimit = 64 * 1024;

    private const string ExpectedHeader =
        "expected a header row starting DATAFLOW (SDMX-CSV 1.0) or STRUCTURE,STRUCTURE_ID (SDMX-CSV 2.0), separated by ',' or ';'";

    private readonly TextReader _text;
    private readonly DataStructure? _given;
    private readonly IReadOnlyList<DataStructure> _known;
    private readonly Region? _region;
    private bool _labelled;
    private readonly Dictionary<string, HashSet<string>> _codesToCheck = new(StringComparer.Ordinal);

    /// <param name="text">The upload.</param>
    /// <param name="structure">The structure the upload must be for; when null, the one its first data row names among <paramref name="known"/>.</param>
    /// <param name="known">The structures an upload may name; the built-in dataflows when null.</param>
    /// <param name="region">
    /// When given, a member state written in ISO 3166-1 alpha-2 (<c>MX</c>) where a country is expected is read as its
    /// alpha-3 code (<c>MEX</c>), the canonical key.
    /// </param>
    public SdmxCsvReader(TextReader text, DataStructure? structure = null, IReadOnlyList<DataStructure>? known = null, Region? region = null)
    {
        _text = text;
        _given = structure;
        _known = known ?? BuiltInDataflows.All;
        _region = region;
    }

    public SdmxCsvVersion Version { get; private set; }

    /// <summary>The separator the header uses, or '\0' before the header is read.</summary>
    public char Separator { get; private set; }

    /// <summary>The structure the rows are checked against, once known (given, or named by the first data row).</summary>
    public DataStructure? Structure { get; private set; }

    /// <summary>
    /// The classification codes used by the rows read so far (complete once every row is read), by
    /// <see cref="ClassificationKinds">kind</see>, without prefix and without totals: e.g. <c>isco08</c> → 2411, 7112.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> CodesToCheck =>
        _codesToCheck.ToDictionary(p => p.Key, p => (IReadOnlySet<string>)p.Value, StringComparer.Ordinal);

    public async IAsyncEnumerable<SdmxRow> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var start = await StartAsync(_text, cancellationToken);
        var separator = DetectSeparator(start);
        var firstLine = start.AsSpan(0, LineLength(start)).ToString();
        if (TextProblem(firstLine) is { } headerText)
        {
            yield return HeaderRow(new FieldError("line 1", firstLine, headerText));
            yield break;
        }

        if (separator == '\0')
        {
            yield return HeaderRow(string.IsNullOrWhiteSpace(firstLine)
                ? new FieldError("line 1", null, $"empty; {ExpectedHeader}")
                : new FieldError("line 1", firstLine, ExpectedHeader));
            yield break;
        }

        Separator = separator;
        var records = new SdmxCsvRecords(start, _text, separator);
        var first = await records.ReadAsync(cancellationToken);
        FieldError? headerError = first?.Fault is { } headerFault ? new FieldError("line 1", headerFault.Text, headerFault.Reason) : null;
        var header = first is { Fault: null } ? ReadHeader(first.Fields, first.Raw, out headerError) : null;
        if (header is null)
        {
            yield return HeaderRow(headerError ?? new FieldError("line 1", null, $"empty; {ExpectedHeader}"));
            yield break;
        }

        SdmxCsvColumns? columns = null;
        if (_given is not null)
        {
            Structure = _given;
            columns = SdmxCsvColumns.Map(header, _given, Version, out var errors);
            if (columns is null)
            {
                yield return HeaderRow(errors);
                yield break;
            }
        }

        var seen = new SeenKeys();
        while (await records.ReadAsync(cancellationToken) is { } record)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var line = record.Line;
            var fields = record.Fields;
            if (columns is null)
            {
                // The first data row says which structure the file is for (a row refused for a fault after its
                // reference still says it).
                var referenceColumn = Version == SdmxCsvVersion.V1 ? 0 : Array.IndexOf(header, SdmxCsvColumns.StructureId);
                if (referenceColumn >= fields.Count && record.Fault is { } early)
                {
                    yield return FaultRow(early, header, "; the dataflow the file is for was not read, so nothing more was read");
                    yield break;
                }

                var named = referenceColumn < fields.Count ? fields[referenceColumn] : string.Empty;
                var structure = Resolve(named, out var reason);
                if (structure is null)
                {
                    yield return new SdmxRow(line, SdmxAction.Information, null,
                        [new FieldError($"line {line}, {header[referenceColumn]}", named, reason + "; nothing more was read")]);
                    yield break;
                }

                Structure = structure;
                columns = SdmxCsvColumns.Map(header, structure, Version, out var errors);
                if (columns is null)
                {
                    yield return HeaderRow(errors);
                    yield break;
                }
            }

            if (record.Fault is { } fault)
            {
                // The row cannot be told apart from what follows the fault: refused, and reading goes on after it.
                yield return FaultRow(fault, header, string.Empty);
                continue;
            }

            if (fields.Count != header.Length)
            {
                yield return new SdmxRow(line, SdmxAction.Information, null,
                    [new FieldError($"line {line}", null, $"{fields.Count} fields where the header has {header.Length}")]);
                continue;
            }

            yield return ReadRow(fields, line, columns, seen);
        }
    }

    private static SdmxRow FaultRow(CsvFault fault, string[] header, string more) => new(fault.Line, SdmxAction.Information, null,
        [new FieldError($"line {fault.Line}, {(fault.Field < header.Length ? header[fault.Field] : $"field {fault.Field + 1}")}", fault.Text, fault.Reason + more)]);

    private static SdmxRow HeaderRow(IReadOnlyList<FieldError> errors) => new(1, SdmxAction.Information, null, errors);

    private static SdmxRow HeaderRow(FieldError error) => HeaderRow([error]);

    /// <summary>The header's column ids (labels dropped), or null with the reason; sets the version.</summary>
    private string[]? ReadHeader(IReadOnlyList<string> cells, string line, out FieldError? error)
    {
        error = null;
        if (cells.Count == 0)
        {
            error = new FieldError("line 1", line, ExpectedHeader);
            return null;
        }

        // "ID: Label" headers name the column by the part before the colon.
        _labelled = cells.Any(c => c.Contains(':', StringComparison.Ordinal));
        var ids = cells.Select(c => (c.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0 ? c[..colon] : c).Trim().ToUpperInvariant()).ToArray();
        Version = ids[0] switch
        {
            SdmxCsvColumns.Dataflow => SdmxCsvVersion.V1,
            SdmxCsvColumns.StructureColumn => SdmxCsvVersion.V2,
            _ => SdmxCsvVersion.Unknown,
        };
        if (Version == SdmxCsvVersion.Unknown)
        {
            error = new FieldError("line 1", line, $"the first column is '{cells[0]}'; {ExpectedHeader}");
            return null;
        }

        if (Version == SdmxCsvVersion.V2 && !ids.Contains(SdmxCsvColumns.StructureId))
        {
            error = new FieldError("line 1", line, "SDMX-CSV 2.0 needs a STRUCTURE_ID column after STRUCTURE");
            return null;
        }

        return ids;
    }

    /// <summary>
    /// The first ',' or ';' outside quotes on the header line: SDMX-CSV uses one or the other, chosen by locale. The
    /// rows are not looked at: a ';' inside a note must not change how the file is read.
    /// </summary>
    private static char DetectSeparator(string start)
    {
        var quoted = false;
        foreach (var c in start)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c is ',' or ';')
            {
                return c;
            }
            else if (!quoted && c is '\r' or '\n')
            {
                break;
            }
        }

        return '\0';
    }

    /// <summary>
    /// The start of the text, up to the end of its first line or <see cref="HeaderLimit"/> characters, without a byte
    /// order mark. A header longer than that is not read, so a file without line breaks cannot fill the memory.
    /// </summary>
    private static async Task<string> StartAsync(TextReader text, CancellationToken cancellationToken)
    {
        var buffer = new char[HeaderLimit];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await text.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                break;
            }

            length += read;
            if (buffer.AsSpan(length - read, read).IndexOfAny('\r', '\n') >= 0)
            {
                break;
            }
        }

        var start = new string(buffer, 0, length);
        return start.Length > 0 && start[0] == '\uFEFF' ? start[1..] : start;
    }

    private static int LineLength(string start)
    {
        var end = start.AsSpan().IndexOfAny('\r', '\n');
        return end < 0 ? start.Length : end;
    }

    private DataStructure? Resolve(string named, out string reason)
    {
        reason = string.Empty;
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

        var found = _known.FirstOrDefault(s => s.Reference == reference);
        if (found is null)
        {
            reason = $"not a dataflow this service knows ({string.Join(", ", _known.Select(k => k.Reference))})";
        }

        return found;
    }

    private SdmxRow ReadRow(IReadOnlyList<string> fields, int line, SdmxCsvColumns columns, SeenKeys seen)
    {
        var structure = columns.Structure;
        List<FieldError>? errors = null;
        void Fail(int column, string? value, string reason) =>
            (errors ??= []).Add(new FieldError($"line {line}, {columns.Header[column]}", value, reason));

        // Text that is not text (a NUL, bytes that are not UTF-8) is refused before anything is read from it.
        for (var i = 0; i < fields.Count; i++)
        {
            if (TextProblem(fields[i]) is { } problem)
            {
                Fail(i, fields[i], problem);
            }
        }

        if (errors is not null)
        {
            return new SdmxRow(line, SdmxAction.Information, null, errors);
        }

        // Which structure the row is for, and what it asks.
        var reference = fields[columns.Reference];
        if (!string.Equals(reference, structure.Reference.ToString(), StringComparison.Ordinal))
        {
            Fail(columns.Reference, reference, $"the file is for {structure.Reference}: one file carries one dataflow");
        }

        if (columns.StructureType >= 0)
        {
            var type = fields[columns.StructureType];
            if (!type.Equals("dataflow", StringComparison.OrdinalIgnoreCase) && !type.Equals("datastructure", StringComparison.OrdinalIgnoreCase))
            {
                Fail(columns.StructureType, type, "must be dataflow or datastructure");
            }
        }

        var action = SdmxAction.Information;
        if (columns.Action >= 0)
        {
            var text = fields[columns.Action];
            switch (text)
            {
                case "" or "I": action = SdmxAction.Information; break;
                case "A": action = SdmxAction.Append; break;
                case "R": action = SdmxAction.Replace; break;
                case "D": action = SdmxAction.Delete; break;
                default: Fail(columns.Action, text, "must be I (information), A (append), R (replace) or D (delete)"); break;
            }
        }

        // The series key.
        var key = new string[structure.Dimensions.Count];
        for (var d = 0; d < key.Length; d++)
        {
            var column = columns.Dimensions[d];
            var dimension = structure.Dimensions[d];
            var value = Coded(fields[column], dimension.Codes);
            key[d] = value;
            if (value.Length == 0)
            {
                Fail(column, null, "required: every dimension needs a value");
            }
            else if (dimension.Codes.Check(value) is { } reason)
            {
                Fail(column, value, reason);
            }
        }

        // The period, which must be of the series' frequency.
        var periodText = fields[columns.Time];
        var periodValid = TimePeriod.TryRead(periodText, out var period, out var periodError);
        if (!periodValid)
        {
            Fail(columns.Time, periodText, periodError!);
        }
        else if (columns.Frequency >= 0 && key[columns.Frequency].Length == 1 && key[columns.Frequency][0] != period.FrequencyCode
            && structure.Dimensions[columns.Frequency].Codes.Check(key[columns.Frequency]) is null)
        {
            Fail(columns.Time, periodText,
                $"a period of frequency {period.FrequencyCode} in a series of frequency {key[columns.Frequency]} ({DataStructure.FrequencyDimension})");
        }

        // The attributes.
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
                if (definition.Mandatory)
                {
                    if (column >= 0)
                    {
                        Fail(column, null, "required: every observation of this dataflow needs it");
                    }
                    else
                    {
                        (errors ??= []).Add(new FieldError($"line {line}, {definition.Id}", null, "required: the file has no such column"));
                    }
                }

                continue;
            }

            attributes[a] = value;
            if (definition.Codes?.Check(value) is { } reason)
            {
                Fail(column, value, reason);
            }
        }

        // The value: a number, or nothing for a missing one (status M) or a deletion.
        var missing = columns.Status >= 0 && attributes[columns.Status] == CodeLists.Missing;
        var valueText = fields[columns.Value];
        decimal? number = null;
        if (valueText.Length == 0 || valueText.Equals("NaN", StringComparison.OrdinalIgnoreCase))
        {
            if (!missing && action != SdmxAction.Delete)
            {
                Fail(columns.Value, valueText, "a number is required, unless OBS_STATUS is M (missing value)");
            }
        }
        else if (decimal.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
        {
            number = parsed;
            if (missing)
            {
                Fail(columns.Value, valueText, "OBS_STATUS M says the value is missing: leave OBS_VALUE empty");
            }
            else if (structure.Values.Check(structure, parsed, UnitMultiplier(attributes, columns)) is { } broken)
            {
                Fail(columns.Value, valueText, broken);
            }
        }
        else
        {
            Fail(columns.Value, valueText, "not a number: digits with a '.' for decimals and no thousands separators, e.g. 1520 or 5.25");
        }

        if (errors is not null)
        {
            return new SdmxRow(line, action, null, errors);
        }

        var seriesKey = DataStructure.SeriesKey(key);
        if (seen.FirstLine(seriesKey, period, line) is { } first)
        {
            return new SdmxRow(line, action, null,
                [new FieldError($"line {line}, {columns.Header[columns.Time]}", periodText, $"series {seriesKey} already has {period} on line {first}")]);
        }

        columns.Gather(key, attributes, _codesToCheck);
        return new SdmxRow(line, action, new Observation(structure, key, seriesKey, period, number, attributes), []);
    }

    /// <summary>The row's UNIT_MULT, 0 when it has none (or one already refused).</summary>
    private static int UnitMultiplier(string?[] attributes, SdmxCsvColumns columns) =>
        columns.Multiplier >= 0 && int.TryParse(attributes[columns.Multiplier], CultureInfo.InvariantCulture, out var power) && power is >= 0 and <= 9 ? power : 0;

    /// <summary>
    /// Why a value is not text a person wrote, or null: control characters other than tab and line breaks (a NUL
    /// most often, from a binary file or a UTF-16 file read as UTF-8), U+FFFD where bytes were not UTF-8, and a byte
    /// order mark inside the text.
    /// </summary>
    private static string? TextProblem(string value)
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
