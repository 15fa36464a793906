using System.Globalization;
using System.Runtime.CompilerServices;
using CsvHelper;
using CsvHelper.Configuration;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.BuildingBlocks.Text;

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

    /// <summary>The longest value read; longer is taken for a broken or hostile file (an unclosed quote, most often).</summary>
    private const int MaxFieldSize = 100_000;

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
        if (separator == '\0')
        {
            var firstLine = start.AsSpan(0, LineLength(start)).ToString();
            yield return HeaderRow(string.IsNullOrWhiteSpace(firstLine)
                ? new FieldError("line 1", null, $"empty; {ExpectedHeader}")
                : new FieldError("line 1", firstLine, ExpectedHeader));
            yield break;
        }

        Separator = separator;
        using var parser = new CsvParser(new ReplayingReader(start, _text), new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = separator.ToString(),
            DetectDelimiter = false,
            TrimOptions = TrimOptions.Trim,
            BadDataFound = null,
            MissingFieldFound = null,
            IgnoreBlankLines = true,
            HasHeaderRecord = false,
            MaxFieldSize = MaxFieldSize,
        });
        var (headerRead, headerFailure) = await TryReadAsync(parser);
        FieldError? headerError = null;
        var header = headerRead ? ReadHeader(parser.Record!, parser.RawRecord.TrimEnd('\r', '\n'), out headerError) : null;
        if (header is null)
        {
            yield return HeaderRow(headerError ?? new FieldError("line 1", null, $"not readable as CSV: {headerFailure}"));
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
        while (true)
        {
            var (read, failure) = await TryReadAsync(parser);
            var line = read || failure is not null ? CsvLines.StartLine(parser.RawRow, parser.RawRecord) : 0;
            if (failure is not null)
            {
                yield return new SdmxRow(line, SdmxAction.Information, null,
                    [new FieldError($"line {line}", null, $"not readable as CSV, nothing more was read: {failure}")]);
                yield break;
            }

            if (!read)
            {
                yield break;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (columns is null)
            {
                // The first data row says which structure the file is for.
                var referenceColumn = Version == SdmxCsvVersion.V1 ? 0 : Array.IndexOf(header, SdmxCsvColumns.StructureId);
                var named = referenceColumn < parser.Count ? parser[referenceColumn] : string.Empty;
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

            if (parser.Count != header.Length)
            {
                yield return new SdmxRow(line, SdmxAction.Information, null,
                    [new FieldError($"line {line}", null, $"{parser.Count} fields where the header has {header.Length}")]);
                continue;
            }

            yield return ReadRow(parser, line, columns, seen);
        }
    }

    private static async Task<(bool Read, string? Failure)> TryReadAsync(CsvParser parser)
    {
        try
        {
            return (await parser.ReadAsync(), null);
        }
        catch (CsvHelperException e)
        {
            return (false, e.Message.Split('\n')[0]);
        }
    }

    private static SdmxRow HeaderRow(IReadOnlyList<FieldError> errors) => new(1, SdmxAction.Information, null, errors);

    private static SdmxRow HeaderRow(FieldError error) => HeaderRow([error]);

    /// <summary>The header's column ids (labels dropped), or null with the reason; sets the version.</summary>
    private string[]? ReadHeader(string[] cells, string line, out FieldError? error)
    {
        error = null;
        if (cells.Length == 0)
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

    private SdmxRow ReadRow(CsvParser parser, int line, SdmxCsvColumns columns, SeenKeys seen)
    {
        var structure = columns.Structure;
        List<FieldError>? errors = null;
        void Fail(int column, string? value, string reason) =>
            (errors ??= []).Add(new FieldError($"line {line}, {columns.Header[column]}", value, reason));

        // Which structure the row is for, and what it asks.
        var reference = parser[columns.Reference];
        if (!string.Equals(reference, structure.Reference.ToString(), StringComparison.Ordinal))
        {
            Fail(columns.Reference, reference, $"the file is for {structure.Reference}: one file carries one dataflow");
        }

        if (columns.StructureType >= 0)
        {
            var type = parser[columns.StructureType];
            if (!type.Equals("dataflow", StringComparison.OrdinalIgnoreCase) && !type.Equals("datastructure", StringComparison.OrdinalIgnoreCase))
            {
                Fail(columns.StructureType, type, "must be dataflow or datastructure");
            }
        }

        var action = SdmxAction.Information;
        if (columns.Action >= 0)
        {
            var text = parser[columns.Action];
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
            var value = Coded(parser[column], dimension.Codes);
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
        var periodText = parser[columns.Time];
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
            var value = column >= 0 ? parser[column] : string.Empty;
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
        var valueText = parser[columns.Value];
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
