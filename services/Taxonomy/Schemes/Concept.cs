namespace Lmis.Taxonomy.Schemes;

public enum ConceptStatus
{
    Active,
    /// <summary>No longer to be used; still resolves, and points to its replacement when it has one.</summary>
    Deprecated,
}

public enum LabelKind
{
    Preferred,
    Alternative,
    Definition,
}

public sealed record ConceptLabel(string Language, LabelKind Kind, string Text);

/// <summary>A named value of a concept, e.g. a labour-mobility pathway's destination country. Repeatable.</summary>
public sealed record ConceptAttribute(string Name, string Value);

/// <summary>
/// A concept of one scheme version: its code, broader concept, depth, status, labels by language and kind, and
/// attributes. A deprecated concept may name the concept that replaces it.
/// </summary>
public sealed record Concept(
    string Code,
    string? ParentCode,
    int Level,
    ConceptStatus Status,
    string? ReplacedBy,
    IReadOnlyList<ConceptLabel> Labels,
    IReadOnlyList<ConceptAttribute> Attributes)
{
    public string? PreferredLabel(string language) =>
        Labels.FirstOrDefault(l => l.Kind == LabelKind.Preferred && l.Language == language)?.Text;

    public IEnumerable<string> AttributeValues(string name) =>
        Attributes.Where(a => a.Name == name).Select(a => a.Value);

    /// <summary>Equal in everything a release diff reports (level follows from the parent).</summary>
    public bool SameAs(Concept other) =>
        ParentCode == other.ParentCode && Status == other.Status && ReplacedBy == other.ReplacedBy
        && Labels.OrderBy(l => (l.Language, l.Kind, l.Text)).SequenceEqual(other.Labels.OrderBy(l => (l.Language, l.Kind, l.Text)))
        && Attributes.OrderBy(a => (a.Name, a.Value)).SequenceEqual(other.Attributes.OrderBy(a => (a.Name, a.Value)));
}

/// <summary>
/// How a concept relates to a concept of another scheme: crosswalk mappings (exact, broader, narrower, partial —
/// SKOS-like, read "this concept is [broader than] the target") and occupation–skill relations.
/// </summary>
public enum RelationType
{
    Exact,
    Broader,
    Narrower,
    Partial,
    EssentialSkill,
    OptionalSkill,
}

public sealed record ConceptRelation(string Code, RelationType Type, string TargetScheme, string TargetCode);

/// <summary>Everything one version of a scheme holds.</summary>
public sealed record SchemeVersionContent(string Scheme, IReadOnlyList<Concept> Concepts, IReadOnlyList<ConceptRelation> Relations);

/// <summary>A released, immutable version of a concept scheme.</summary>
public sealed record SchemeVersion(string Scheme, int Version, int ConceptCount, DateTimeOffset ReleasedAt);

public static class RelationTypes
{
    /// <summary>The relation seen from the target's side: "A broader than B" is "B narrower than A".</summary>
    public static RelationType Inverse(RelationType type) => type switch
    {
        RelationType.Broader => RelationType.Narrower,
        RelationType.Narrower => RelationType.Broader,
        _ => type,
    };

    public static bool IsCrosswalk(RelationType type) => type is RelationType.Exact or RelationType.Broader or RelationType.Narrower or RelationType.Partial;

    /// <summary>The name used in CSV files and on the API: exact, broader, narrower, partial, essential_skill, optional_skill.</summary>
    public static string Name(RelationType type) => type switch
    {
        RelationType.EssentialSkill => "essential_skill",
        RelationType.OptionalSkill => "optional_skill",
        _ => type.ToString().ToLowerInvariant(),
    };

    public static RelationType? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "exact" => RelationType.Exact,
        "broader" => RelationType.Broader,
        "narrower" => RelationType.Narrower,
        "partial" => RelationType.Partial,
        "essential_skill" => RelationType.EssentialSkill,
        "optional_skill" => RelationType.OptionalSkill,
        _ => null,
    };
}
