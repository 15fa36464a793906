using System.Collections.Concurrent;
using Grpc.Core;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.Text;
using Lmis.Contracts.Taxonomy.V1;
using Microsoft.Extensions.Caching.Memory;

namespace Lmis.Vacancies.Taxonomy;

/// <summary>
/// Asks the taxonomy service over gRPC and remembers the answers until the taxonomy announces a new version. When
/// the taxonomy cannot be reached the vacancy is refused as UNAVAILABLE (to retry), never accepted unchecked — except
/// for occupation suggestions, which are advice: without one, publishing goes on.
/// </summary>
public sealed partial class TaxonomyLookups(TaxonomyService.TaxonomyServiceClient taxonomy, TimeProvider time, ILogger<TaxonomyLookups> logger)
    : ITaxonomyLookups, IDisposable
{
    /// <summary>Job titles whose suggestions are remembered: a feed repeats its titles, and 10,000 hold a ministry's usual ones.</summary>
    public const int SuggestionsKept = 10_000;

    /// <summary>How long one suggestion may take: a slow taxonomy must not slow a feed down.</summary>
    public static readonly TimeSpan SuggestionTimeout = TimeSpan.FromSeconds(2);

    /// <summary>After a failed suggestion, how long publishing goes on without asking again (and without logging again).</summary>
    public static readonly TimeSpan SuggestionPause = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<(string, string), Task<ConceptLookup>> _concepts = new();
    private readonly ConcurrentDictionary<(string, string, string), Task<IReadOnlyList<string>>> _translations = new();
    private volatile MemoryCache _suggestions = NewSuggestionCache();
    private long _suggestionsPausedUntil;

    public async Task<ConceptLookup> FindAsync(string scheme, string code, CancellationToken cancellationToken)
    {
        var answer = _concepts.GetOrAdd((scheme, code), key => LookUpAsync(key.Item1, key.Item2));
        try
        {
            return await answer.WaitAsync(cancellationToken);
        }
        catch (DependencyUnavailableException)
        {
            _concepts.TryRemove((scheme, code), out _);
            throw;
        }
    }

    public async Task<IReadOnlyList<string>> TranslateAsync(string fromScheme, string code, string toScheme, CancellationToken cancellationToken)
    {
        var answer = _translations.GetOrAdd((fromScheme, code, toScheme), key => TranslateAsync(key.Item1, key.Item2, key.Item3));
        try
        {
            return await answer.WaitAsync(cancellationToken);
        }
        catch (DependencyUnavailableException)
        {
            _translations.TryRemove((fromScheme, code, toScheme), out _);
            throw;
        }
    }

    public async Task<IReadOnlyList<SuggestedOccupation>?> SuggestOccupationsAsync(string title, string? language, CancellationToken cancellationToken)
    {
        var key = (TextFolding.Fold(title), SuggestionLanguage(language));
        if (key.Item1.Length == 0)
        {
            return [];
        }

        var cache = _suggestions;
        if (cache.TryGetValue(key, out IReadOnlyList<SuggestedOccupation>? known))
        {
            return known;
        }

        if (time.GetUtcNow().UtcTicks < Interlocked.Read(ref _suggestionsPausedUntil))
        {
            return null;
        }

        var suggestions = await SuggestAsync(key.Item1, key.Item2, cancellationToken);
        if (suggestions is not null)
        {
            cache.Set(key, suggestions, new MemoryCacheEntryOptions { Size = 1 });
        }

        return suggestions;
    }

    public void Forget()
    {
        _concepts.Clear();
        _translations.Clear();
        // A fresh cache rather than a cleared one: an answer of the old version still on its way lands in the old
        // cache, which is left undisposed for a vacancy being validated against it, and then to the collector.
        _suggestions = NewSuggestionCache();
        Interlocked.Exchange(ref _suggestionsPausedUntil, 0);
    }

    public void Dispose() => _suggestions.Dispose();

    private static MemoryCache NewSuggestionCache() => new(new MemoryCacheOptions { SizeLimit = SuggestionsKept });

    /// <summary>The taxonomy suggests in en, es and fr: a vacancy in another language is matched against all three.</summary>
    private static string SuggestionLanguage(string? language) =>
        language?.Split('-')[0].ToLowerInvariant() switch
        {
            "en" => "en",
            "es" => "es",
            "fr" => "fr",
            _ => string.Empty,
        };

    private async Task<IReadOnlyList<SuggestedOccupation>?> SuggestAsync(string title, string language, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await taxonomy.SuggestOccupationCodesAsync(
                new SuggestOccupationCodesRequest { Title = title, Language = language, Limit = SuggestedOccupation.PerTitle },
                deadline: DateTime.UtcNow + SuggestionTimeout, cancellationToken: cancellationToken);
            return [.. answer.Suggestions.Select(s => new SuggestedOccupation(s.IscoCode, s.IscoTitle, s.Score, s.MatchedTitle))];
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            // Once per pause, not once per vacancy: a feed of 100,000 would bury the log.
            Interlocked.Exchange(ref _suggestionsPausedUntil, (time.GetUtcNow() + SuggestionPause).UtcTicks);
            SuggestionsUnavailable(logger, e.StatusCode, e.Status.Detail, SuggestionPause.TotalSeconds);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The taxonomy suggests no ISCO-08 codes now ({Status} {Detail}): vacancies are published without the title check, and machine coding is refused, for the next {Seconds} s")]
    private static partial void SuggestionsUnavailable(ILogger logger, StatusCode status, string detail, double seconds);

    private async Task<ConceptLookup> LookUpAsync(string scheme, string code)
    {
        try
        {
            var concept = await taxonomy.GetConceptAsync(new GetConceptRequest { Scheme = scheme, Code = code });
            return concept.Status == "deprecated"
                ? new ConceptLookup(true, true, $"deprecated in {scheme} version {concept.Version}"
                    + (concept.ReplacedBy.Length > 0 ? $"; use {concept.ReplacedBy} instead" : string.Empty), concept.Attributes)
                : new ConceptLookup(true, false, string.Empty, concept.Attributes);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return ConceptLookup.Unknown(e.Status.Detail);
        }
        catch (RpcException e)
        {
            throw Unavailable(scheme, code, e);
        }
    }

    private async Task<IReadOnlyList<string>> TranslateAsync(string fromScheme, string code, string toScheme)
    {
        try
        {
            var translation = await taxonomy.TranslateAsync(new TranslateRequest { FromScheme = fromScheme, Code = code, ToScheme = toScheme });
            return [.. translation.Targets.Select(t => t.Concept.Code)];
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return [];
        }
        catch (RpcException e)
        {
            throw Unavailable(fromScheme, code, e);
        }
    }

    private static DependencyUnavailableException Unavailable(string scheme, string code, RpcException e) => new(
        $"The taxonomy service could not check {scheme} code {code}: {e.Status.StatusCode} {e.Status.Detail}. Nothing was stored; send the vacancy again.",
        e);
}
