using System.Text.Json;

namespace Lmis.Statistics.Sdmx.Mappings;

/// <summary>
/// Every mapping an upload may be read through: ILOSTAT's (<see cref="IloMappings"/>) and those the secretariat adds in
/// configuration, <c>Lmis:Statistics:SourceMappings</c>. Read and checked once at start: a malformed mapping stops the
/// service with the reason rather than refusing files later.
/// </summary>
public sealed class SourceMappings
{
    public const string ConfigurationKey = "Lmis:Statistics:SourceMappings";

    private readonly Dictionary<StructureReference, SourceMapping> _bySource = [];

    public SourceMappings(IEnumerable<SourceMapping> mappings)
    {
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var mapping in mappings)
        {
            if (!ids.Add(mapping.Id))
            {
                throw new InvalidOperationException($"Source mappings: the id '{mapping.Id}' is used twice.");
            }

            foreach (var source in mapping.Sources)
            {
                if (!_bySource.TryAdd(source, mapping))
                {
                    throw new InvalidOperationException(
                        $"Source mappings: {source} is mapped by both '{_bySource[source].Id}' and '{mapping.Id}'; a dataflow is read one way.");
                }
            }
        }

        All = [.. _bySource.Values.Distinct()];
    }

    /// <summary>ILOSTAT's mappings only.</summary>
    public static SourceMappings BuiltIn { get; } = new(IloMappings.All);

    public IReadOnlyList<SourceMapping> All { get; }

    /// <summary>The mapping a file's dataflow reference is read through, or null.</summary>
    public SourceMapping? Find(StructureReference reference) => _bySource.GetValueOrDefault(reference);

    /// <summary>The mappings into a dataflow of the region.</summary>
    public IEnumerable<SourceMapping> Into(DataStructure target) => All.Where(m => m.Target.Reference == target.Reference);

    /// <summary>
    /// ILOSTAT's mappings and the secretariat's: <c>Lmis:Statistics:SourceMappings</c>, or each of its children
    /// (<c>…:0</c>, <c>…:1</c>), holds a mapping document or an array of them as JSON text, or the path of a JSON file
    /// holding one or an array. Throws <see cref="InvalidOperationException"/> naming the setting and the fault.
    /// </summary>
    public static SourceMappings From(IConfiguration configuration)
    {
        var section = configuration.GetSection(ConfigurationKey);
        var settings = new List<(string Where, string Value)>();
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            settings.Add((ConfigurationKey, section.Value));
        }

        foreach (var child in section.GetChildren())
        {
            if (child.Value is null && child.GetChildren().Any())
            {
                throw new InvalidOperationException(
                    $"{child.Path}: write a mapping as JSON text or as the path of a JSON file, not as configuration keys (docs/statistics.md).");
            }

            if (!string.IsNullOrWhiteSpace(child.Value))
            {
                settings.Add((child.Path, child.Value));
            }
        }

        var added = settings.SelectMany(s => Read(s.Where, s.Value));
        return new SourceMappings(IloMappings.All.Concat(added));
    }

    private static IEnumerable<SourceMapping> Read(string where, string value)
    {
        var json = value.TrimStart();
        if (!json.StartsWith('{') && !json.StartsWith('['))
        {
            var path = value.Trim();
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{where}: '{path}' is neither a mapping document (JSON starting with {{ or [) nor a file that exists.");
            }

            where = $"{where} ({path})";
            json = File.ReadAllText(path);
        }

        return Documents(json, where).Select(d => SourceMapping.Parse(d.Json, d.Where, BuiltInDataflows.All)).ToList();
    }

    /// <summary>One document, or each of an array's, with where it was found.</summary>
    private static IEnumerable<(string Json, string Where)> Documents(string json, string where)
    {
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{where}: not JSON: {e.Message}", e);
        }

        using (parsed)
        {
            return parsed.RootElement.ValueKind == JsonValueKind.Array
                ? [.. parsed.RootElement.EnumerateArray().Select((e, i) => (e.GetRawText(), $"{where}[{i}]"))]
                : [(parsed.RootElement.GetRawText(), where)];
        }
    }
}
