namespace Lmis.Vacancies.Taxonomy;

/// <summary>
/// The classifications vacancies are coded with, as the taxonomy service has them now (latest versions): codes,
/// crosswalks from national classifications to ISCO-08, and labour-mobility pathways.
/// </summary>
public interface ITaxonomyLookups
{
    Task<ConceptLookup> FindAsync(string scheme, string code, CancellationToken cancellationToken);

    /// <summary>The concepts of <paramref name="toScheme"/> a code of <paramref name="fromScheme"/> maps to (empty when none).</summary>
    Task<IReadOnlyList<string>> TranslateAsync(string fromScheme, string code, string toScheme, CancellationToken cancellationToken);

    /// <summary>
    /// The ISCO-08 unit groups a job title reads as, best first (at most <see cref="SuggestedOccupation.PerTitle"/>); empty when none does, null when the
    /// taxonomy cannot say now (unreachable, or too old to suggest). Never throws for the taxonomy's sake: a
    /// suggestion is advice, and publishing goes on without it.
    /// </summary>
    /// <param name="language">The vacancy's language (BCP 47); null for every language.</param>
    Task<IReadOnlyList<SuggestedOccupation>?> SuggestOccupationsAsync(string title, string? language, CancellationToken cancellationToken);

    /// <summary>Forgets what it has looked up, because the taxonomy released a new version.</summary>
    void Forget();
}
