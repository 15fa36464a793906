using System.Diagnostics;

namespace Lmis.BuildingBlocks.Outbox;

/// <summary>
/// The outbox's activity: publishing an event later, from the dispatcher, as a child of the call that wrote it.
/// MassTransit starts its send activity under <see cref="Activity.Current"/> and writes that activity's id into the
/// message headers, so the consumer in another service continues the same trace.
/// </summary>
public static class OutboxTelemetry
{
    /// <summary>The activity source and meter of the outbox (registered by the service defaults as <c>Lmis.*</c>).</summary>
    public const string Name = "Lmis.Outbox";

    private static readonly ActivitySource Source = new(Name);

    /// <summary>
    /// Starts the activity publishing <paramref name="message"/>, under its stored trace context when it has one; a
    /// bundle's other events (<paramref name="alongWith"/>) are linked to it, so each of their traces leads to it.
    /// </summary>
    public static Activity? StartDispatch(string owner, OutboxMessage message, IEnumerable<OutboxMessage>? alongWith = null)
    {
        var links = alongWith?.Select(m => m.TraceContext).OfType<ActivityContext>().Select(context => new ActivityLink(context)).ToArray();
        var activity = Source.StartActivity($"{message.EventType} dispatch", ActivityKind.Internal, message.TraceContext ?? default, links: links);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("lmis.outbox.service", owner);
            activity.SetTag("lmis.event.type", message.EventType);
            activity.SetTag("messaging.message.id", message.EventId.ToString());
        }

        return activity;
    }
}
