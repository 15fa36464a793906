using System.Runtime.CompilerServices;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Statistics.Sdmx.Mappings;

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
public sealed class SdmxCsvReader : IObservationReader
{
    /// <summary>How far the header line is looked into for its separator.</summary>
    private const int HeaderLimit = 64 * 1024;

    private const string ExpectedHeader =
        "expected a header row starting DATAFLOW (SDMX-CSV 1.0) or STRUCTURE,STRUCTURE_ID (SDMX-CSV 2.0), separated by ',' or ';'";

    private readonly TextReader _text;
    private readonly DataStructure? _given;
    private readonly IReadOnlyList<DataStructure> _known;
    private readonly Region? _region;
    private readonly SourceMappings? _mappings;
    private bool _labelled;
    private readonly Dictionary<string, HashSet<string>> _codesToCheck = new(StringComparer.Ordinal);

    /// <param name="text">The upload.</param>
    /// <param name="structure">The structure the upload must be for; when null, the one its first data row names among <paramref name="known"/>.</param>
    /// <param name="known">The structures an upload may name; the built-in dataflows when null.</param>
    /// <param name="region">
    /// When given, a member state written in ISO 3166-1 alpha-2 (<c>MX</c>) where a country is expected is read as its
    /// alpha-3 code (<c>MEX</c>), the canonical key.
    /// </param>
    /// <param name="mappings">The other agencies' dataflows a file may name, and how each is read into one of <paramref name="known"/>.</param>
    public SdmxCsvReader(
        TextReader text, DataStructure? structure = null, IReadOnlyList<DataStructure>? known = null, Region? region = null, SourceMappings? mappings = null)
    {
        _mappings = mappings;
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

    public string? Named { get; private set; }

    /// <summary>The mapping the file is read through, when it names another agency's dataflow (ILOSTAT's).</summary>
    public SourceMapping? Mapping { get; private set; }

    /// <summary>Always false: a CSV file stops being read only at its header or first row, before anything is stored.</summary>
    public bool Stopped => false;

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
        if (SdmxRowCheck.TextProblem(firstLine) is { } headerText)
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

        SdmxRowCheck? check = null;
        if (_given is not null)
        {
            Named = _given.Reference.ToString();
            check = Columns(header, _given, null, out var errors);
            if (check is null)
            {
                yield return HeaderRow(errors);
                yield break;
            }
        }

        while (await records.ReadAsync(cancellationToken) is { } record)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var line = record.Line;
            var fields = record.Fields;
            if (check is null)
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
                Named = named;
                var structure = SdmxRowCheck.Resolve(named, _known, _mappings, out var mapping, out var reason);
                if (structure is null)
                {
                    yield return new SdmxRow(line, SdmxAction.Information, null,
                        [new FieldError($"line {line}, {header[referenceColumn]}", named, reason + "; nothing more was read")]);
                    yield break;
                }

                check = Columns(header, structure, mapping, out var errors);
                if (check is null)
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

            yield return check.Check(fields, line);
        }
    }

    /// <summary>
    /// The row check for a header and the structure the file is for, read through a mapping when one is given; null
    /// with every reason the header does not fit.
    /// </summary>
    private SdmxRowCheck? Columns(string[] header, DataStructure structure, SourceMapping? mapping, out IReadOnlyList<FieldError> errors)
    {
        (Structure, Mapping) = (structure, mapping);
        var reference = Version == SdmxCsvVersion.V1 ? 0 : Array.IndexOf(header, SdmxCsvColumns.StructureId);
        var mapped = mapping is null ? null : MappedHeader.Create(mapping, header, reference);
        var hint = mapping is null && _mappings?.Into(structure).SelectMany(m => m.Sources).ToList() is { Count: > 0 } sources
            ? $"; a file in another agency's shape keeps its own dataflow ({string.Join(", ", sources)}), which this service maps into {structure.Reference}"
            : string.Empty;
        var columns = SdmxCsvColumns.Map(mapped?.Header ?? header, structure, Version, out errors, hint);
        return columns is null ? null : new SdmxRowCheck(columns, header, mapped, _region, _labelled, _codesToCheck);
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
}
