using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Lmis.Contracts.Events;

namespace Lmis.BuildingBlocks.Outbox;

/// <summary>
/// An integration event stored beside the state change it announces, waiting to be published. It keeps the W3C
/// trace context of the call that wrote it (<see cref="TraceParent"/>, <see cref="TraceState"/>), so publishing it
/// later, from the dispatcher, continues that call's trace instead of starting a new one.
/// </summary>
public sealed record OutboxMessage(Guid EventId, string EventType, string Payload, DateTimeOffset OccurredAt)
{
    /// <summary>The <c>traceparent</c> of the activity the event was written in; null when there was none.</summary>
    public string? TraceParent { get; init; }

    /// <summary>The <c>tracestate</c> that came with it, if any.</summary>
    public string? TraceState { get; init; }

    /// <summary>The event as stored, with the trace context of the current activity (the call writing it).</summary>
    public static OutboxMessage From(IIntegrationEvent integrationEvent)
    {
        var writing = Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current : null;
        return new(
            integrationEvent.EventId,
            IntegrationEventTypes.NameOf(integrationEvent.GetType()),
            JsonSerializer.Serialize(integrationEvent, integrationEvent.GetType(), IntegrationEventTypes.Json),
            integrationEvent.OccurredAt)
        {
            TraceParent = writing?.Id,
            TraceState = writing?.TraceStateString,
        };
    }

    /// <summary>The stored trace context as a parent for the activity that publishes the event.</summary>
    public ActivityContext? TraceContext =>
        TraceParent is not null && ActivityContext.TryParse(TraceParent, TraceState, isRemote: true, out var context) ? context : null;

    public object ToEvent() =>
        JsonSerializer.Deserialize(Payload, IntegrationEventTypes.Resolve(EventType), IntegrationEventTypes.Json)
        ?? throw new InvalidOperationException($"Outbox message {EventId} has an empty payload.");
}

/// <summary>
/// The events a service has written together with its state changes and not yet published. A store writes into
/// it inside the same transaction (SQLite) or the same document (MongoDB) as the change, so a change and its
/// event are never lost separately; the <see cref="OutboxDispatcher"/> publishes and then removes them.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Reliability", "CA1001", Justification = "A SemaphoreSlim whose wait handle is never used holds nothing to dispose; an outbox lives as long as its process.")]
public abstract class Outbox
{
    /// <summary>At most this many committed events are held in memory for the dispatcher; beyond, it reads their JSON.</summary>
    private const int MaxHeld = 20_000;

    private readonly SemaphoreSlim _written = new(0, 1);
    private readonly ConcurrentDictionary<Guid, IIntegrationEvent> _committed = new();

    /// <summary>The oldest events not yet published, oldest first.</summary>
    public abstract Task<IReadOnlyList<OutboxMessage>> ReadPendingAsync(int max, CancellationToken cancellationToken);

    public abstract Task MarkDispatchedAsync(IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken);

    /// <summary>How many events wait, and since when the oldest of them does (its <c>OccurredAt</c>).</summary>
    public abstract Task<OutboxBacklog> MeasureAsync(CancellationToken cancellationToken);

    /// <summary>Tells the dispatcher that something was written, so it need not wait for its next poll.</summary>
    public void NotifyWritten()
    {
        if (_written.CurrentCount == 0)
        {
            try
            {
                _written.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another writer signalled first; one wake-up is enough.
            }
        }
    }

    /// <summary>
    /// Tells the dispatcher that these events were committed, and hands them over as they are: this process's
    /// dispatcher then publishes them without parsing their stored JSON back. Only call it after the commit.
    /// </summary>
    public void NotifyWritten(IReadOnlyCollection<IIntegrationEvent> committed)
    {
        if (_committed.Count + committed.Count > MaxHeld)
        {
            // The dispatcher is far behind (or the bus away): it reads what it needs from the stored JSON instead.
            _committed.Clear();
        }
        else
        {
            foreach (var integrationEvent in committed)
            {
                _committed[integrationEvent.EventId] = integrationEvent;
            }
        }

        NotifyWritten();
    }

    /// <summary>A pending message's event: the committed object when this process wrote it, else read from its payload.</summary>
    public object EventOf(OutboxMessage message) =>
        _committed.TryRemove(message.EventId, out var integrationEvent) ? integrationEvent : message.ToEvent();

    /// <summary>Nothing is pending: whatever is still held was published from its stored JSON and can go.</summary>
    internal void ForgetCommitted()
    {
        if (!_committed.IsEmpty)
        {
            _committed.Clear();
        }
    }

    internal async Task WaitForWritesAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await _written.WaitAsync(timeout, cancellationToken);
}

/// <summary>The integration event types by the name they are stored under in an outbox.</summary>
public static class IntegrationEventTypes
{
    private static readonly Dictionary<string, Type> ByName = typeof(IIntegrationEvent).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IIntegrationEvent).IsAssignableFrom(t))
        .ToDictionary(t => t.Name, StringComparer.Ordinal);

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    public static string NameOf(Type type) =>
        ByName.TryGetValue(type.Name, out var known) && known == type
            ? type.Name
            : throw new ArgumentException($"{type.FullName} is not an integration event of Lmis.Contracts.", nameof(type));

    public static Type Resolve(string name) =>
        ByName.TryGetValue(name, out var type)
            ? type
            : throw new InvalidOperationException($"Unknown integration event type '{name}' in the outbox.");
}
