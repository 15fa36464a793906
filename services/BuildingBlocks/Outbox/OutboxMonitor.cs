using System.Diagnostics.Metrics;

namespace Lmis.BuildingBlocks.Outbox;

/// <summary>A service's outbox, by the name of the service that writes into it.</summary>
public sealed record OutboxOwner(string Service, Func<IServiceProvider, Outbox> Resolve);

/// <summary>
/// Watches every outbox of the process: how many events wait (<c>lmis.outbox.pending</c>) and how long the oldest
/// has waited (<c>lmis.outbox.oldest_pending_age</c>), per <c>service</c>. A growing backlog with a growing age is an
/// outbox that does not get its events out; the stall health check reads the same figures.
/// </summary>
public sealed class OutboxMonitor
{
    /// <summary>Both gauges are read in one collection; one query per outbox serves them both.</summary>
    private static readonly TimeSpan Reuse = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly Dictionary<string, Outbox> _outboxes;
    private readonly Dictionary<string, (OutboxBacklog Backlog, DateTimeOffset At)> _last = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public OutboxMonitor(IServiceProvider services, IEnumerable<OutboxOwner> owners, IMeterFactory meters, TimeProvider time)
    {
        _time = time;
        _outboxes = owners.ToDictionary(o => o.Service, o => o.Resolve(services), StringComparer.Ordinal);
        var meter = meters.Create(OutboxTelemetry.Name);
        meter.CreateObservableGauge(
            "lmis.outbox.pending",
            () => Observe(backlog => backlog.Pending),
            unit: "{event}",
            description: "Events written with their changes and not yet published to the message bus.");
        meter.CreateObservableGauge(
            "lmis.outbox.oldest_pending_age",
            () => Observe(backlog => backlog.OldestAge(_time.GetUtcNow()).TotalSeconds),
            unit: "s",
            description: "How long the oldest event not yet published has waited in the outbox.");
    }

    public IReadOnlyCollection<string> Services => _outboxes.Keys;

    /// <summary>What the outbox of <paramref name="service"/> holds now.</summary>
    public async Task<OutboxBacklog> MeasureAsync(string service, CancellationToken cancellationToken)
    {
        var backlog = await _outboxes[service].MeasureAsync(cancellationToken);
        lock (_lock)
        {
            _last[service] = (backlog, _time.GetUtcNow());
        }

        return backlog;
    }

    private IEnumerable<Measurement<T>> Observe<T>(Func<OutboxBacklog, T> value)
        where T : struct
    {
        foreach (var service in _outboxes.Keys)
        {
            if (Recent(service) is { } backlog)
            {
                yield return new Measurement<T>(value(backlog), new KeyValuePair<string, object?>("service", service));
            }
        }
    }

    /// <summary>The last measurement when it is fresh, else a new one; null when the storage does not answer.</summary>
    private OutboxBacklog? Recent(string service)
    {
        lock (_lock)
        {
            if (_last.TryGetValue(service, out var last) && _time.GetUtcNow() - last.At < Reuse)
            {
                return last.Backlog;
            }
        }

        try
        {
            // Gauges are read synchronously by the metrics reader's own thread; the query is one small statement.
            return MeasureAsync(service, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // A failing storage is the health checks' to report; the gauge just has no value then.
            return null;
        }
    }
}
