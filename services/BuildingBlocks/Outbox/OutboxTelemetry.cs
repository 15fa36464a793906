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

    /// <summary>Starts the activity publishing <paramref name="message"/>, under its stored trace context when it has one.</summary>
    public static Activity? StartDispatch(string owner, OutboxMessage message)
    {
        var activity = Source.StartActivity($"{message.EventType} dispatch", ActivityKind.Internal, message.TraceContext ?? default);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("lmis.outbox.service", owner);
            activity.SetTag("lmis.event.type", message.EventType);
            activity.SetTag("messaging.message.id", message.EventId.ToString());
        }

        return activity;
    }
}
