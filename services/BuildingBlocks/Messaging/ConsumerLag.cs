using System.Diagnostics.Metrics;
using Lmis.Contracts.Events;
using MassTransit;

namespace Lmis.BuildingBlocks.Messaging;

/// <summary>
/// How late events arrive: for every integration event a consumer of this process takes, the time since it occurred
/// (<c>lmis.messaging.consumer_lag</c>, seconds, by <c>event</c> type and consuming <c>service</c>). It includes the
/// wait in the outbox, so a broker outage or a slow consumer shows as a lag that grows. Meter <c>Lmis.Messaging</c>.
/// </summary>
public sealed class ConsumerLag : IConsumeObserver
{
    public const string MeterName = "Lmis.Messaging";

    /// <summary>From a few milliseconds (the normal case) to an hour (an outage being caught up).</summary>
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

    private readonly Histogram<double> _lag;
    private readonly KeyValuePair<string, object?> _service;
    private readonly TimeProvider _time;

    public ConsumerLag(string service, IMeterFactory meters, TimeProvider time)
    {
        _service = new("service", service);
        _time = time;
        _lag = meters.Create(MeterName).CreateHistogram(
            "lmis.messaging.consumer_lag",
            unit: "s",
            description: "Time from an event's occurrence to its consumption, outbox wait included.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
    }

    public Task PreConsume<T>(ConsumeContext<T> context)
        where T : class
    {
        if (context.Message is IIntegrationEvent integrationEvent)
        {
            var lag = _time.GetUtcNow() - integrationEvent.OccurredAt;
            _lag.Record(Math.Max(0, lag.TotalSeconds), new KeyValuePair<string, object?>("event", typeof(T).Name), _service);
        }

        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context)
        where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;
}
