using System.Text.Json;
using System.Text.Json.Serialization;
using Lmis.Taxonomy.Schemes;

namespace Lmis.Taxonomy.Storage;

/// <summary>How a concept's labels and attributes are kept in one JSON column or field, by both adapters.</summary>
internal static class ConceptRows
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Labels(Concept concept) => JsonSerializer.Serialize(concept.Labels, Json);

    public static string Attributes(Concept concept) => JsonSerializer.Serialize(concept.Attributes, Json);

    public static Concept Read(
        string code, string? parent, int level, string status, string? replacedBy, string labels, string attributes) => new(
        code,
        parent,
        level,
        Enum.Parse<ConceptStatus>(status, ignoreCase: true),
        replacedBy,
        JsonSerializer.Deserialize<ConceptLabel[]>(labels, Json) ?? [],
        JsonSerializer.Deserialize<ConceptAttribute[]>(attributes, Json) ?? []);

    public static string Status(ConceptStatus status) => status.ToString().ToLowerInvariant();
}
