using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Contracts.Classifications;
using Lmis.Taxonomy.Reading;
using Lmis.Taxonomy.Schemes;
using static Lmis.BuildingBlocks.Text.OptionalText;

namespace Lmis.Taxonomy.Pathways;

/// <summary>The labour-mobility pathways of the latest <c>pathways</c> version, found by corridor and occupation.</summary>
public sealed class PathwayRegistry(TaxonomyCatalog catalog)
{
    public async Task<(int Version, IReadOnlyList<Pathway> Pathways)> SearchAsync(
        string? origin, string? destination, string? occupation, bool includeInactive, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var from = Country("origin", origin, errors);
        var to = Country("destination", destination, errors);
        occupation = TrimmedOrNull(occupation);
        if (occupation is not null && !SchemeRules.For(SchemeIds.Isco08).CodePattern.IsMatch(occupation))
        {
            errors.Add(new FieldError("occupation", occupation, "an ISCO-08 code: 1 to 4 digits"));
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException("Pathway search", errors);
        }

        var index = await catalog.TryGetAsync(SchemeIds.Pathways, null, cancellationToken);
        if (index is null)
        {
            return (0, []);
        }

        var pathways = index.ByCode.Values
            .Where(c => c.Status == ConceptStatus.Active)
            .Select(Pathway.From)
            .Where(p => includeInactive || p.Status == "in_force")
            .Where(p => from is null || p.Origins.Contains(from))
            .Where(p => to is null || p.Destination == to)
            .Where(p => occupation is null || p.CoversOccupation(occupation))
            .OrderBy(p => p.Destination, StringComparer.Ordinal)
            .ThenBy(p => p.Concept.Code, StringComparer.Ordinal)
            .ToArray();
        return (index.Version.Version, pathways);
    }

    /// <summary>A country as ISO alpha-3, given in alpha-3 or alpha-2.</summary>
    private static string? Country(string field, string? code, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        if (Region.CountryAlpha3(code) is { } alpha3)
        {
            return alpha3;
        }

        errors.Add(new FieldError(field, code, "not a country ISO 3166-1 has assigned: give its alpha-3 or alpha-2 code"));
        return null;
    }
}
