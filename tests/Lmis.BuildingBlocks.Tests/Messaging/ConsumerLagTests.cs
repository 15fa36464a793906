using System.Diagnostics.Metrics;
using Lmis.BuildingBlocks.Messaging;
using Lmis.Contracts.Events;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Lmis.BuildingBlocks.Tests.Messaging;

/// <summary>Every event a consumer takes is measured for how long after it occurred it arrived.</summary>
public sealed class ConsumerLagTests
{
    [Fact]
    public async Task The_consumer_lag_is_the_time_from_the_events_occurrence_to_its_consumption_by_event_and_service()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero));
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<Consumed>();
        builder.AddMessaging("lag-test", bus => bus.AddConsumer<ReleaseConsumer>());
        using var host = builder.Build();
        using var lag = new MetricCollector<double>(host.Services.GetRequiredService<IMeterFactory>(), ConsumerLag.MeterName, "lmis.messaging.consumer_lag");
        await host.StartAsync(ct);

        await host.Services.GetRequiredService<IBus>().Publish(new TaxonomyVersionReleased(Guid.NewGuid(), time.GetUtcNow().AddSeconds(-42), "isco08", 2, 10), ct);
        await host.Services.GetRequiredService<Consumed>().Task.WaitAsync(TimeSpan.FromSeconds(20), ct);
        await host.StopAsync(ct);

        var measurement = Assert.Single(lag.GetMeasurementSnapshot());
        Assert.Equal(42, measurement.Value);
        Assert.Equal(("TaxonomyVersionReleased", "lag-test"), (measurement.Tags["event"], measurement.Tags["service"]));
        Assert.Equal("s", lag.Instrument?.Unit);
    }

    private sealed class Consumed : TaskCompletionSource
    {
        public Consumed()
            : base(TaskCreationOptions.RunContinuationsAsynchronously)
        {
        }
    }

    private sealed class ReleaseConsumer(Consumed consumed) : IConsumer<TaxonomyVersionReleased>
    {
        public Task Consume(ConsumeContext<TaxonomyVersionReleased> context)
        {
            consumed.TrySetResult();
            return Task.CompletedTask;
        }
    }
}
