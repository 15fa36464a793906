using Grpc.Core;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Taxonomy.Grpc;
using Lmis.Testing;
using Lmis.Vacancies.Grpc;

namespace Lmis.Vacancies.Tests.Api;

/// <summary>
/// A feed stream cut short — too long, or stalled — ends with a status that counts what became of the items read,
/// and every item it says was published is stored. Small limits (5 items, 1 s) stand in for the real ones.
/// </summary>
public sealed class FeedEndingsApiTests : IAsyncLifetime
{
    private readonly VacanciesInProcess _service = new(vacancies => vacancies
        .WithSetting("Lmis:Limits:FeedMaxItems", "5")
        .WithSetting("Lmis:Limits:FeedIdleSeconds", "1"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ServiceHost<VacanciesGrpcService> Vacancies => _service.Vacancies;

    public ValueTask InitializeAsync() => _service.InitializeAsync();

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    private VacanciesService.VacanciesServiceClient Client => new(Vacancies.GrpcChannel(TestCaller.Publisher("CRI")));

    private static PublishVacancyRequest Item(int i, string occupation = "7112") => new()
    {
        Vacancy = new Vacancy
        {
            Country = "CRI",
            SourceId = $"MTSS-{i}",
            Title = "Albañil",
            Language = "es",
            OccupationCode = occupation,
            DatePosted = "2026-11-01",
            ValidThrough = TestDates.Open,
        },
    };

    private async Task<int> StoredAsync()
    {
        var page = await Client.SearchVacanciesAsync(new SearchVacanciesRequest { Country = "CRI", PageSize = 200, IncludeTotal = true }, cancellationToken: Ct);
        return (int)page.Total;
    }

    [Fact]
    public async Task A_feed_longer_than_the_limit_stores_the_items_read_and_says_how_many_were_published_and_refused()
    {
        using var call = Client.PublishVacancies(cancellationToken: Ct);
        for (var i = 0; i < 8; i++)
        {
            await call.RequestStream.WriteAsync(Item(i, occupation: i == 2 ? "9999" : "7112"), Ct);
        }

        await call.RequestStream.CompleteAsync();
        var ended = await Assert.ThrowsAsync<RpcException>(async () => await call);

        Assert.Equal(StatusCode.ResourceExhausted, ended.StatusCode);
        Assert.Equal(
            "A feed holds at most 5 vacancies; split it: the first 5 items were read: 4 published, 1 refused; nothing after item 5 was read.",
            ended.Status.Detail);
        Assert.Equal(4, await StoredAsync());
    }

    [Fact]
    public async Task A_feed_that_stalls_stores_the_items_sent_before_and_says_how_many_were_published_and_refused()
    {
        using var call = Client.PublishVacancies(cancellationToken: Ct);
        for (var i = 0; i < 3; i++)
        {
            await call.RequestStream.WriteAsync(Item(i), Ct);
        }

        // The ministry's system stops sending without ending the stream.
        var ended = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseAsync.WaitAsync(TimeSpan.FromSeconds(30), Ct));

        Assert.Equal(StatusCode.DeadlineExceeded, ended.StatusCode);
        Assert.Equal("No vacancy arrived for 1 s, so the feed was ended: the 3 items read before were 3 published, 0 refused; send the rest again.", ended.Status.Detail);
        Assert.Equal(3, await StoredAsync());
    }

    [Fact]
    public async Task A_whole_feed_within_the_limits_is_answered_with_every_count()
    {
        using var call = Client.PublishVacancies(cancellationToken: Ct);
        await call.RequestStream.WriteAsync(Item(1), Ct);
        await call.RequestStream.CompleteAsync();
        var answer = await call;

        Assert.Equal((1, 1, 0, 0, 0, 0), (answer.Received, answer.Created, answer.Updated, answer.Unchanged, answer.Closed, answer.Rejected));
    }
}
