namespace Lmis.Vacancies.Taxonomy;

/// <summary>What the taxonomy says of a code: unknown (and why), deprecated (the reason names its replacement), or known.</summary>
public sealed record ConceptLookup(bool Known, bool Deprecated, string Reason, IReadOnlyList<Contracts.Taxonomy.V1.Attribute> Attributes)
{
    public static ConceptLookup Unknown(string reason) => new(false, false, reason, []);

    public IEnumerable<string> Values(string attribute) => Attributes.Where(a => a.Name == attribute).Select(a => a.Value);
}
