using System.Diagnostics.Metrics;
using Lmis.BuildingBlocks.Messaging;
using Lmis.Contracts.Events;
using Lmis.Contracts.Statistics.V1;
using Lmis.Statistics.Grpc;
using Lmis.Statistics.Tests.Storage;
using Lmis.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Lmis.Statistics.Tests.Telemetry;

/// <summary>
/// The statistics service takes vacancy events in batches; each event is still measured for how late it arrived.
/// </summary>
public sealed class ConsumerLagTests : IAsyncLifetime
{
    private readonly ServiceHost<StatisticsGrpcService> _host = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Each_vacancy_event_taken_in_a_batch_is_measured_for_its_age_when_consumed()
    {
        var ct = TestContext.Current.CancellationToken;
        _ = _host.Server;
        using var lag = new MetricCollector<double>(_host.Services.GetRequiredService<IMeterFactory>(), ConsumerLag.MeterName, "lmis.messaging.consumer_lag");
        var twoMinutesAgo = DateTimeOffset.UtcNow.AddMinutes(-2);
        var bus = _host.Services.GetRequiredService<IBus>();
        foreach (var occupation in new[] { "2221", "7112" })
        {
            await bus.Publish(new VacancyPublished(Guid.NewGuid(), twoMinutesAgo, VacancyFigureStoreConformance.Snapshot(Guid.NewGuid(), "HND", occupation, 1, 1)), ct);
        }

        var client = new StatisticsService.StatisticsServiceClient(_host.GrpcChannel());
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await client.GetVacancyCountsAsync(new GetVacancyCountsRequest { Country = "HND" }, cancellationToken: ct)).TotalOpenVacancies < 2
            && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, ct);
        }

        var measurements = lag.GetMeasurementSnapshot();
        Assert.Equal(2, measurements.Count);
        Assert.All(measurements, m =>
        {
            Assert.InRange(m.Value, 120, 180);
            Assert.Equal(("VacancyPublished", "statistics"), (m.Tags["event"], m.Tags["service"]));
        });
    }
}
