namespace Lmis.Contracts.Events;

/// <summary>
/// A fact one service announces to the others, in the past tense. <see cref="EventId"/> is unique per event and
/// stays the same when the event is delivered again, so consumers can recognise a repeat.
/// </summary>
public interface IIntegrationEvent
{
    Guid EventId { get; }

    DateTimeOffset OccurredAt { get; }
}
