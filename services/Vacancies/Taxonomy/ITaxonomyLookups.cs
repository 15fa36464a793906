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

    /// <summary>Forgets what it has looked up, because the taxonomy released a new version.</summary>
    void Forget();
}
