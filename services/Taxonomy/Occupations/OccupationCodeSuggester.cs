using Lmis.Contracts.Classifications;
using Lmis.Taxonomy.Reading;

namespace Lmis.Taxonomy.Occupations;

/// <summary>
/// ISCO-08 unit groups suggested for a vacancy's job title (and description), from the latest released ESCO and
/// ISCO-08 versions' titles: what a public employment service codes a vacancy with, automatically when the best
/// score reaches its threshold, or what it checks a code a person gave against. No network service, no model: the
/// index is built from the titles, once per pair of versions, and rebuilt when either scheme releases a new one.
/// </summary>
public sealed class OccupationCodeSuggester(TaxonomyCatalog catalog)
{
    private readonly Lock _lock = new();
    private BuiltIndex? _current;

    /// <summary>At most <paramref name="limit"/> unit groups, best first; none when no built-in title shares a word with the title.</summary>
    public async Task<IReadOnlyList<OccupationCodeSuggestion>> SuggestAsync(
        string title, string? description, string? language, int limit, CancellationToken cancellationToken)
    {
        var index = await IndexAsync(cancellationToken);
        return index.Suggest(title, description, language, limit);
    }

    /// <summary>The index of the latest ESCO and ISCO-08 versions, built by the first caller to need it while the others wait.</summary>
    public async Task<OccupationTitleIndex> IndexAsync(CancellationToken cancellationToken)
    {
        var isco = await catalog.GetAsync(SchemeIds.Isco08, null, cancellationToken);
        var esco = await catalog.TryGetAsync(SchemeIds.Esco, null, cancellationToken);
        var key = (Isco: isco.Version.Version, Esco: esco?.Version.Version ?? 0);
        BuiltIndex built;
        lock (_lock)
        {
            // Only the latest pair is kept; a caller that read a version just before a release uses the newer index.
            if (_current is null || (_current.Key != key && !(key.Isco <= _current.Key.Isco && key.Esco <= _current.Key.Esco)))
            {
                _current = new BuiltIndex(key, new Lazy<Task<OccupationTitleIndex>>(() => Task.Run(() => OccupationTitleIndex.Build(isco, esco))));
            }

            built = _current;
        }

        return await built.Index.Value.WaitAsync(cancellationToken);
    }

    private sealed record BuiltIndex((int Isco, int Esco) Key, Lazy<Task<OccupationTitleIndex>> Index);
}
