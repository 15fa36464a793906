using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lmis.Statistics.Sdmx.Mappings;

/// <summary>
/// How a file written for another agency's dataflow (ILOSTAT's, most often) is read into one of the region's: an SDMX
/// structure map kept as data. The file keeps its own dataflow reference; its columns are renamed, fixed, dropped or
/// gathered into NOTE, and its codes translated, before the region's dataflow checks every row as usual.
/// docs/statistics.md ("Uploads in the ILO's shape and in SDMX-ML") lists the mappings and the document's form.
/// </summary>
public sealed class SourceMapping
{
    /// <summary>The attribute that gathers what <see cref="ToNote"/> names.</summary>
    public const string NoteAttribute = "NOTE";

    private SourceMapping(
        string id, string description, IReadOnlyList<StructureReference> sources, DataStructure target,
        FrozenDictionary<string, FrozenSet<string>> fixedDimensions, FrozenSet<string> dropped, IReadOnlyList<string> toNote,
        FrozenDictionary<string, string> renamed, FrozenDictionary<string, FrozenDictionary<string, string>> codes)
    {
        Id = id;
        Description = description;
        Sources = sources;
        Target = target;
        Fixed = fixedDimensions;
        Dropped = dropped;
        ToNote = toNote;
        Renamed = renamed;
        Codes = codes;
    }

    /// <summary>What the answer to an upload names the mapping by, e.g. <c>ilo-unemployment-rate</c>.</summary>
    public string Id { get; }

    public string Description { get; }

    /// <summary>The dataflows a file may name to be read through this mapping.</summary>
    public IReadOnlyList<StructureReference> Sources { get; }

    /// <summary>The region's dataflow the rows are stored in.</summary>
    public DataStructure Target { get; }

    /// <summary>Dimensions the source has and the target does not: each must hold one of its values, and is then left out.</summary>
    public IReadOnlyDictionary<string, FrozenSet<string>> Fixed { get; }

    /// <summary>Columns of the source that are not read (ILOSTAT's DECIMALS, UNIT_MEASURE_TYPE...).</summary>
    public IReadOnlySet<string> Dropped { get; }

    /// <summary>Columns whose values are kept in NOTE as <c>ID: value</c>, joined by <c>; </c> (ILOSTAT's SOURCE and NOTE_*).</summary>
    public IReadOnlyList<string> ToNote { get; }

    /// <summary>Source column id → the target's component id.</summary>
    public IReadOnlyDictionary<string, string> Renamed { get; }

    /// <summary>Target component id → (source code → target code); a code not listed is read as it is.</summary>
    public IReadOnlyDictionary<string, FrozenDictionary<string, string>> Codes { get; }

    public override string ToString() => $"{Id} ({string.Join(", ", Sources)} → {Target.Reference})";

    /// <summary>
    /// Reads one mapping document (JSON), checked against the dataflows it may target; throws
    /// <see cref="InvalidOperationException"/> naming <paramref name="where"/> and every fault.
    /// </summary>
    public static SourceMapping Parse(string json, string where, IReadOnlyList<DataStructure> targets)
    {
        Document? document;
        try
        {
            document = JsonSerializer.Deserialize(json, MappingJson.Default.Document);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{where}: not a mapping document (JSON): {e.Message}", e);
        }

        return document is null
            ? throw new InvalidOperationException($"{where}: not a mapping document (JSON): null")
            : Build(document, where, targets);
    }

    private static SourceMapping Build(Document document, string where, IReadOnlyList<DataStructure> targets)
    {
        var faults = new List<string>();
        var id = document.Id?.Trim() ?? string.Empty;
        if (id.Length == 0 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            faults.Add("\"id\" is required: letters, digits, '-', '_' or '.', e.g. \"ilo-unemployment-rate\"");
        }

        var sources = new List<StructureReference>();
        foreach (var text in document.From ?? [])
        {
            if (StructureReference.TryParse(text, out var reference))
            {
                sources.Add(reference!);
            }
            else
            {
                faults.Add($"\"from\" '{text}': a dataflow reference AGENCY:ID(VERSION), e.g. ILO:DF_UNE_DEAP_SEX_AGE_RT(1.0)");
            }
        }

        if (sources.Count == 0 && (document.From ?? []).Count == 0)
        {
            faults.Add("\"from\" is required: the dataflows a file may name, e.g. [\"ILO:DF_UNE_DEAP_SEX_AGE_RT(1.0)\"]");
        }

        var target = StructureReference.TryParse(document.To, out var to) ? targets.FirstOrDefault(t => t.Reference == to) : null;
        if (target is null)
        {
            faults.Add($"\"to\" '{document.To}': one of the region's dataflows ({string.Join(", ", targets.Select(t => t.Reference))})");
            throw Refused(where, id, faults);
        }

        foreach (var source in sources.Where(s => targets.Any(t => t.Reference == s)))
        {
            faults.Add($"\"from\" {source}: a dataflow of the region is read as it is, not mapped");
        }

        var renamed = document.Rename ?? [];
        var sourceIds = new HashSet<string>(StringComparer.Ordinal);
        void Source(string component, string member)
        {
            if (!sourceIds.Add(component))
            {
                faults.Add($"\"{member}\" {component}: the column is already named elsewhere in the mapping");
            }

            if (!renamed.ContainsKey(component) && IsComponent(target, component))
            {
                faults.Add($"\"{member}\" {component}: {target.Reference} has this component; only a source's extra columns are fixed, dropped or kept in NOTE");
            }
        }

        foreach (var (from, into) in renamed)
        {
            Source(from, "rename");
            if (!IsComponent(target, into))
            {
                faults.Add($"\"rename\" {from} → {into}: {target.Reference} has no component {into}");
            }
        }

        foreach (var (dimension, values) in document.Fixed ?? [])
        {
            Source(dimension, "fixed");
            if (values is null || values.Count == 0 || values.Any(string.IsNullOrWhiteSpace))
            {
                faults.Add($"\"fixed\" {dimension}: the values the column may hold, e.g. [\"UNE_DEAP_RT\"]");
            }
        }

        foreach (var column in (document.Drop ?? []).Concat(document.ToNote ?? []))
        {
            Source(column, document.Drop?.Contains(column) == true ? "drop" : "toNote");
        }

        if ((document.ToNote ?? []).Count > 0 && target.AttributeIndex(NoteAttribute) < 0)
        {
            faults.Add($"\"toNote\": {target.Reference} has no {NoteAttribute} attribute to keep them in");
        }

        foreach (var (component, codes) in document.Codes ?? [])
        {
            if (!IsComponent(target, component) || component is DataStructure.TimeDimension or DataStructure.PrimaryMeasure)
            {
                faults.Add($"\"codes\" {component}: {target.Reference} has no coded component {component}");
            }
            else if (codes is null || codes.Any(p => string.IsNullOrWhiteSpace(p.Key) || string.IsNullOrWhiteSpace(p.Value)))
            {
                faults.Add($"\"codes\" {component}: each source code needs a target code, e.g. {{\"R\": \"A\"}}");
            }
        }

        if (faults.Count > 0)
        {
            throw Refused(where, id, faults);
        }

        return new SourceMapping(
            id, document.Description ?? string.Empty, sources, target,
            (document.Fixed ?? []).ToFrozenDictionary(p => p.Key, p => p.Value!.ToFrozenSet(StringComparer.Ordinal), StringComparer.Ordinal),
            (document.Drop ?? []).ToFrozenSet(StringComparer.Ordinal),
            [.. document.ToNote ?? []],
            renamed.ToFrozenDictionary(StringComparer.Ordinal),
            (document.Codes ?? []).ToFrozenDictionary(p => p.Key, p => p.Value!.ToFrozenDictionary(StringComparer.Ordinal), StringComparer.Ordinal));
    }

    private static bool IsComponent(DataStructure structure, string id) =>
        structure.DimensionIndex(id) >= 0 || structure.AttributeIndex(id) >= 0 || id is DataStructure.TimeDimension or DataStructure.PrimaryMeasure;

    private static InvalidOperationException Refused(string where, string id, List<string> faults) =>
        new($"{where}{(id.Length > 0 ? $" (mapping '{id}')" : string.Empty)}: {string.Join("; ", faults)}.");

    /// <summary>A mapping document as written (docs/statistics.md shows one).</summary>
    internal sealed record Document(
        string? Id,
        string? Description,
        List<string>? From,
        string? To,
        Dictionary<string, List<string>?>? Fixed,
        List<string>? Drop,
        List<string>? ToNote,
        Dictionary<string, string>? Rename,
        Dictionary<string, Dictionary<string, string>?>? Codes);
}

/// <summary>Mapping documents: camelCase members, comments allowed, unknown members refused (a misspelt member must not pass unseen).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(SourceMapping.Document))]
[JsonSerializable(typeof(List<SourceMapping.Document>))]
internal sealed partial class MappingJson : JsonSerializerContext;
