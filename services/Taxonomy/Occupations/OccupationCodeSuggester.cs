using Lmis.BuildingBlocks.Errors;
using Lmis.Contracts.Classifications;
using Lmis.Taxonomy.Reading;

namespace Lmis.Taxonomy.Occupations;

/// <summary>
/// ISCO-08 unit groups suggested for a vacancy's job title (and description), from the latest released ESCO and
/// ISCO-08 versions' titles: what a public employment service codes a vacancy with, automatically when the best
/// score reaches its threshold, or what it checks a code a person gave against. No network service, no model: the
/// index is built from the titles, once per pair of versions, and rebuilt when either scheme releases a new one.
/// </summary>
public sealed partial class OccupationCodeSuggester(TaxonomyCatalog catalog, ILogger<OccupationCodeSuggester> logger)
{
    private readonly Lock _lock = new();
    private BuiltIndex? _current;
    private OccupationTitleIndex? _previous;

    /// <summary>At most <paramref name="limit"/> unit groups, best first; none when no built-in title shares a word with the title.</summary>
    public async Task<IReadOnlyList<OccupationCodeSuggestion>> SuggestAsync(
        string title, string? description, string? language, int limit, CancellationToken cancellationToken)
    {
        var index = await IndexAsync(cancellationToken);
        return index.Suggest(title, description, language, limit);
    }

    /// <summary>
    /// The index of the latest ESCO and ISCO-08 versions. Built once per pair of versions, by the first caller to need
    /// it while the others wait; after a release, callers keep the previous index until the new one is built, so a
    /// release never makes a vacancy wait for the whole rebuild.
    /// </summary>
    public Task<OccupationTitleIndex> IndexAsync(CancellationToken cancellationToken) => IndexAsync(waitForLatest: false, cancellationToken);

    private async Task<OccupationTitleIndex> IndexAsync(bool waitForLatest, CancellationToken cancellationToken)
    {
        var isco = await catalog.GetAsync(SchemeIds.Isco08, null, cancellationToken);
        var esco = await catalog.TryGetAsync(SchemeIds.Esco, null, cancellationToken);
        var key = (Isco: isco.Version.Version, Esco: esco?.Version.Version ?? 0);
        BuiltIndex built;
        OccupationTitleIndex? previous;
        lock (_lock)
        {
            // Only the latest pair is kept; a caller that read a version just before a release uses the newer index.
            if (_current is null || _current.Index.IsFaulted
                || (_current.Key != key && !(key.Isco <= _current.Key.Isco && key.Esco <= _current.Key.Esco)))
            {
                _previous = _current is { Index.IsCompletedSuccessfully: true } ? _current.Index.Result : _previous;
                _current = new BuiltIndex(key, Task.Run(() => OccupationTitleIndex.Build(isco, esco), CancellationToken.None));
            }

            built = _current;
            previous = _previous;
        }

        return built.Index.IsCompletedSuccessfully || previous is null || waitForLatest
            ? await built.Index.WaitAsync(cancellationToken)
            : previous;
    }

    /// <summary>
    /// Builds the index of the latest versions now, for the service's start and after a release. A failed build is
    /// logged, not thrown: the release stands, and the next suggestion tries the build again.
    /// </summary>
    public async Task<OccupationTitleIndex?> PrepareAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await IndexAsync(waitForLatest: true, cancellationToken);
        }
        catch (NotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogBuildFailed(e);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The job-title index for ISCO-08 suggestions could not be built; the next suggestion tries again")]
    private partial void LogBuildFailed(Exception exception);

    private sealed record BuiltIndex((int Isco, int Esco) Key, Task<OccupationTitleIndex> Index);
}
