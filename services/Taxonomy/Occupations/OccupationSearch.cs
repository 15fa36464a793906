using Lmis.Contracts.Classifications;
using Lmis.Taxonomy.Reading;
using Lmis.Taxonomy.Schemes;

namespace Lmis.Taxonomy.Occupations;

/// <summary>An occupation found by its title: the ESCO occupation (null when an ISCO-08 title matched) and its ISCO-08 group.</summary>
public sealed record OccupationHit(Concept? Esco, Concept Isco, ConceptLabel Matched, int Score);

/// <summary>
/// Occupations by job title for autocomplete: the ESCO occupations' preferred and alternative titles and the ISCO-08
/// groups' titles, searched as <see cref="SchemeIndex.Search"/> searches labels (accent- and case-insensitive, a
/// title's or word's start ranking above a match inside a word). An ESCO occupation is shown with the ISCO-08 unit
/// group it belongs to, so a vacancy can be coded from the title its employer wrote.
/// </summary>
public sealed class OccupationSearch(TaxonomyCatalog catalog)
{
    public async Task<IReadOnlyList<OccupationHit>> SearchAsync(string query, string? language, int limit, CancellationToken cancellationToken)
    {
        var isco = await catalog.GetAsync(SchemeIds.Isco08, null, cancellationToken);
        var esco = await catalog.TryGetAsync(SchemeIds.Esco, null, cancellationToken);
        var hits = new List<OccupationHit>();
        foreach (var hit in esco?.Search(query, null, language, limit) ?? [])
        {
            if (UnitGroup(esco!, hit.Concept.Code) is { } group && isco.Find(group) is { } unit)
            {
                hits.Add(new OccupationHit(hit.Concept, unit, hit.MatchedLabel, hit.Score));
            }
        }

        hits.AddRange(isco.Search(query, null, language, limit).Select(h => new OccupationHit(null, h.Concept, h.MatchedLabel, h.Score)));
        return [.. hits
            .OrderByDescending(h => h.Score)
            .ThenBy(h => h.Matched.Text.Length)
            .ThenBy(h => h.Isco.Code, StringComparer.Ordinal)
            .ThenBy(h => h.Esco?.Code, StringComparer.Ordinal)
            .Take(limit)];
    }

    /// <summary>The ISCO-08 unit group an ESCO occupation is recorded under ("this occupation is narrower than 7112").</summary>
    public static string? UnitGroup(SchemeIndex esco, string code) => esco.RelationsByCode[code]
        .FirstOrDefault(r => r.TargetScheme == SchemeIds.Isco08 && r.Type == RelationType.Narrower)?.TargetCode;
}
