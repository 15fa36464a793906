using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lmis.Contracts.Events;
using Lmis.Contracts.Statistics.V1;
using Lmis.Statistics.Grpc;
using Lmis.Statistics.Tests.Storage;
using Lmis.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Lmis.Statistics.Tests.Api;

/// <summary>The statistics service in process, fed vacancy events through its (in-memory) message bus.</summary>
public sealed class StatisticsApiTests : IAsyncLifetime
{
    private readonly ServiceHost<StatisticsGrpcService> _host = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task PublishAsync(IIntegrationEvent integrationEvent)
    {
        var bus = _host.Services.GetRequiredService<IBus>();
        await bus.Publish(integrationEvent, integrationEvent.GetType(), context => context.MessageId = integrationEvent.EventId, TestContext.Current.CancellationToken);
    }

    private async Task<GetVacancyCountsResponse> WaitForCountsAsync(string country, int openVacancies, int openPositions)
    {
        var client = new StatisticsService.StatisticsServiceClient(_host.GrpcChannel());
        var deadline = DateTime.UtcNow.AddSeconds(15);
        GetVacancyCountsResponse counts;
        do
        {
            counts = await client.GetVacancyCountsAsync(new GetVacancyCountsRequest { Country = country }, cancellationToken: TestContext.Current.CancellationToken);
            if (counts.TotalOpenVacancies == openVacancies && counts.TotalOpenPositions == openPositions)
            {
                return counts;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        while (DateTime.UtcNow < deadline);

        return counts;
    }

    [Fact]
    public async Task Vacancy_events_are_counted_once_however_often_and_in_whatever_order_they_arrive()
    {
        var ct = TestContext.Current.CancellationToken;
        _ = _host.Server;
        var nurse = Guid.NewGuid();
        var bricklayer = Guid.NewGuid();
        var published = new VacancyPublished(Guid.NewGuid(), DateTimeOffset.UtcNow, VacancyFigureStoreConformance.Snapshot(nurse, "SLV", "2221", 2, 1));
        var updated = new VacancyUpdated(Guid.NewGuid(), DateTimeOffset.UtcNow, VacancyFigureStoreConformance.Snapshot(nurse, "SLV", "2221", 5, 2));

        await PublishAsync(updated);
        await PublishAsync(published);
        await PublishAsync(updated);
        await PublishAsync(new VacancyPublished(Guid.NewGuid(), DateTimeOffset.UtcNow, VacancyFigureStoreConformance.Snapshot(bricklayer, "SLV", "7112", 1, 1)));

        var counts = await WaitForCountsAsync("SV", openVacancies: 2, openPositions: 6);
        await Task.Delay(300, ct);
        var settled = await _host.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/statistics/vacancy-counts?country=SLV", ct);

        Assert.Equal(
            [("SLV", "2", 1, 5), ("SLV", "7", 1, 1)],
            counts.Counts.Select(c => (c.Country, c.OccupationMajorGroup, c.OpenVacancies, c.OpenPositions)));
        Assert.Equal(2, settled.GetProperty("totalOpenVacancies").GetInt32());
        Assert.Equal(6, settled.GetProperty("totalOpenPositions").GetInt32());
    }

    [Fact]
    public async Task Asking_for_a_country_outside_the_region_is_a_bad_request()
    {
        using var response = await _host.CreateClient().GetAsync("/api/v1/statistics/vacancy-counts?country=FRA", TestContext.Current.CancellationToken);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("country 'FRA': not a member state of RCM", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
