using Grpc.Core;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Vacancies.Taxonomy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Lmis.Vacancies.Tests.Taxonomy;

/// <summary>
/// How the vacancies service asks the taxonomy to read job titles: once per title (a feed repeats its titles), again
/// after a new taxonomy version, and never at publishing's expense when the taxonomy cannot answer.
/// </summary>
public sealed class OccupationSuggestionLookupTests : IDisposable
{
    /// <summary>A taxonomy client that reads every title as 7112, counting the questions, or fails with <see cref="Failure"/>.</summary>
    private sealed class CountingTaxonomyClient : TaxonomyService.TaxonomyServiceClient
    {
        public List<SuggestOccupationCodesRequest> Asked { get; } = [];

        public StatusCode? Failure { get; set; }

        public override AsyncUnaryCall<SuggestOccupationCodesResponse> SuggestOccupationCodesAsync(SuggestOccupationCodesRequest request, CallOptions options)
        {
            Asked.Add(request);
            var answer = Failure is { } status
                ? Task.FromException<SuggestOccupationCodesResponse>(new RpcException(new Status(status, "SuggestOccupationCodes is not implemented")))
                : Task.FromResult(new SuggestOccupationCodesResponse
                {
                    Suggestions =
                    {
                        new OccupationSuggestion { IscoCode = "7112", IscoTitle = "Bricklayers and related workers", Score = 0.8, MatchedTitle = "albañil" },
                    },
                });
            return new AsyncUnaryCall<SuggestOccupationCodesResponse>(answer, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
        }
    }

    private sealed class MovingClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private readonly CountingTaxonomyClient _client = new();
    private readonly MovingClock _clock = new();
    private readonly FakeLogger<TaxonomyLookups> _log = new();
    private readonly TaxonomyLookups _lookups;

    public OccupationSuggestionLookupTests() => _lookups = new TaxonomyLookups(_client, _clock, _log);

    public void Dispose() => _lookups.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_feed_repeating_its_job_titles_asks_the_taxonomy_once_per_title_and_language()
    {
        var titles = Enumerable.Range(0, 300).Select(i => (i % 3) switch { 0 => "Albañil", 1 => " ALBANIL ", _ => "albañil." }).ToList();

        var answers = new List<IReadOnlyList<SuggestedOccupation>?>();
        foreach (var title in titles)
        {
            answers.Add(await _lookups.SuggestOccupationsAsync(title, "es-MX", Ct));
        }

        await _lookups.SuggestOccupationsAsync("Albañil", "fr", Ct);
        await _lookups.SuggestOccupationsAsync("Albañil", "pt", Ct);

        Assert.All(answers, a => Assert.Equal("7112", Assert.Single(a!).IscoCode));
        Assert.Equal([("albanil", "es"), ("albanil", "fr"), ("albanil", "")], _client.Asked.Select(r => (r.Title, r.Language)));
        Assert.All(_client.Asked, r => Assert.Equal(SuggestedOccupation.PerTitle, r.Limit));
    }

    [Fact]
    public async Task A_new_taxonomy_version_makes_titles_be_read_afresh()
    {
        await _lookups.SuggestOccupationsAsync("Albañil", "es", Ct);
        await new TaxonomyVersionReleasedConsumer(_lookups).Consume(null!);
        await _lookups.SuggestOccupationsAsync("Albañil", "es", Ct);

        Assert.Equal(2, _client.Asked.Count);
    }

    [Theory]
    [InlineData(StatusCode.Unimplemented)]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.DeadlineExceeded)]
    public async Task A_taxonomy_that_cannot_suggest_gives_no_suggestion_is_not_asked_again_for_a_while_and_is_logged_once(StatusCode failure)
    {
        _client.Failure = failure;

        var first = await _lookups.SuggestOccupationsAsync("Albañil", "es", Ct);
        var during = new List<IReadOnlyList<SuggestedOccupation>?>();
        foreach (var title in new[] { "Albañil", "Enfermera", "Chofer" })
        {
            during.Add(await _lookups.SuggestOccupationsAsync(title, "es", Ct));
        }

        var askedDuringPause = _client.Asked.Count;
        _client.Failure = null;
        _clock.Now += TaxonomyLookups.SuggestionPause;
        var after = await _lookups.SuggestOccupationsAsync("Albañil", "es", Ct);

        Assert.Null(first);
        Assert.All(during, Assert.Null);
        Assert.Equal(1, askedDuringPause);
        Assert.Equal("7112", Assert.Single(after!).IscoCode);
        var logged = Assert.Single(_log.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Warning, logged.Level);
        Assert.Contains(failure.ToString(), logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_answer_is_not_remembered_as_the_titles_reading()
    {
        _client.Failure = StatusCode.Unavailable;
        await _lookups.SuggestOccupationsAsync("Albañil", "es", Ct);
        _client.Failure = null;
        _clock.Now += TaxonomyLookups.SuggestionPause;

        var answer = await _lookups.SuggestOccupationsAsync("Albañil", "es", Ct);
        var again = await _lookups.SuggestOccupationsAsync("Albañil", "es", Ct);

        Assert.NotNull(answer);
        Assert.Equal(answer, again);
        Assert.Equal(2, _client.Asked.Count);
    }
}
