using Grpc.Net.Client;
using Lmis.Contracts.Statistics.V1;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Testing;

namespace Lmis.EndToEnd.Tests;

/// <summary>
/// A broker outage in the middle of a feed: the vacancies are stored with their events (outbox) while RabbitMQ is
/// down, and every event reaches the statistics service once it is back — delayed, never lost. The stack here has
/// its own private RabbitMQ node, so stopping it disturbs no other test.
/// </summary>
public sealed class BrokerOutageTests : IAsyncLifetime
{
    private readonly RabbitMqBroker _broker = new();
    private readonly ServiceProcessSet _processes = new("outage");
    private readonly string _gatewayTokenKey = TestCaller.NewGatewayTokenKey();
    private ServiceProcess _vacancies = null!;
    private ServiceProcess _statistics = null!;
    private ServiceProcess _taxonomy = null!;

    public async ValueTask InitializeAsync()
    {
        await _broker.InitializeAsync();
        if (_broker.ConnectionString is null || !_broker.OwnsNode)
        {
            return;
        }

        var shared = _processes.Shared(_broker.ConnectionString, _gatewayTokenKey);
        _taxonomy = _processes.Start("taxonomy", "services/Taxonomy", "Lmis.Taxonomy", shared);
        _statistics = _processes.Start("statistics", "services/Statistics", "Lmis.Statistics", shared);
        _vacancies = _processes.Start("vacancies", "services/Vacancies", "Lmis.Vacancies",
            new Dictionary<string, string>(shared) { ["services__taxonomy__grpc__0"] = _taxonomy.GrpcUrl });
        await _processes.WaitUntilHealthyAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _processes.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task Vacancies_published_while_the_broker_is_down_are_counted_once_it_is_back()
    {
        _broker.RequireConnectionString();
        if (!_broker.OwnsNode)
        {
            Assert.Skip("LMIS_TEST_RABBITMQ names a broker these tests cannot stop and start; the outage test needs the private node.");
        }

        var ct = TestContext.Current.CancellationToken;
        // The services are called directly, with the tokens the gateway would have signed.
        using var taxonomyChannel = TestCaller.Secretariat.ChannelTo(_taxonomy.GrpcUrl, _gatewayTokenKey);
        using var vacanciesChannel = TestCaller.Publisher("USA").ChannelTo(_vacancies.GrpcUrl, _gatewayTokenKey);
        using var statisticsChannel = GrpcChannel.ForAddress(_statistics.GrpcUrl);
        await new TaxonomyService.TaxonomyServiceClient(taxonomyChannel).ImportSchemeVersionAsync(IscoSample.ImportRequest(), cancellationToken: ct);
        var vacancies = new VacanciesService.VacanciesServiceClient(vacanciesChannel);
        var statistics = new StatisticsService.StatisticsServiceClient(statisticsChannel);

        async Task FeedAsync(int from, int to, int positions)
        {
            using var call = vacancies.PublishVacancies(cancellationToken: ct);
            for (var i = from; i < to; i++)
            {
                await call.RequestStream.WriteAsync(new PublishVacancyRequest
                {
                    Vacancy = new Vacancy { Country = "USA", SourceId = $"H2A-{i:D3}", Title = "Farmworker", OccupationCode = "6111", Positions = positions },
                }, ct);
            }

            await call.RequestStream.CompleteAsync();
            var response = await call;
            Assert.Equal(0, response.Rejected);
        }

        async Task<GetVacancyCountsResponse> CountsAsync(int vacancies, int positions, TimeSpan within)
        {
            var deadline = DateTime.UtcNow + within;
            GetVacancyCountsResponse counts;
            do
            {
                counts = await statistics.GetVacancyCountsAsync(new GetVacancyCountsRequest { Country = "USA" }, cancellationToken: ct);
                if (counts.TotalOpenVacancies == vacancies && counts.TotalOpenPositions == positions)
                {
                    return counts;
                }

                await Task.Delay(250, ct);
            }
            while (DateTime.UtcNow < deadline);

            Assert.Fail($"Expected {vacancies} vacancies / {positions} positions, counted {counts.TotalOpenVacancies} / {counts.TotalOpenPositions}.\n"
                + _processes.Output(30));
            return counts;
        }

        await FeedAsync(0, 20, positions: 1);
        await CountsAsync(20, 20, TimeSpan.FromSeconds(30));

        await _broker.StopAsync();
        await FeedAsync(20, 50, positions: 1);   // new vacancies while the broker is away
        await FeedAsync(0, 10, positions: 3);    // and changes to ten that were already counted
        var duringOutage = await statistics.GetVacancyCountsAsync(new GetVacancyCountsRequest { Country = "USA" }, cancellationToken: ct);
        // The service still works, so it stays in rotation: /health answers 200, saying the bus is degraded.
        using var http = new HttpClient();
        string healthBody;
        var healthDeadline = DateTime.UtcNow.AddSeconds(20);
        do
        {
            using var health = await http.GetAsync(new Uri(_vacancies.HttpUrl + "/health"), ct);
            healthBody = await health.Content.ReadAsStringAsync(ct);
            Assert.True(health.IsSuccessStatusCode, healthBody);
            await Task.Delay(250, ct);
        }
        while (!healthBody.Contains("\"status\":\"Degraded\"", StringComparison.Ordinal) && DateTime.UtcNow < healthDeadline);

        Assert.Contains("\"status\":\"Degraded\"", healthBody, StringComparison.Ordinal);
        await _broker.StartAgainAsync();

        Assert.Equal(20, duringOutage.TotalOpenVacancies);
        await CountsAsync(50, 70, TimeSpan.FromSeconds(90));
    }
}
