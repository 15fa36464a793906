namespace Lmis.Contracts.Events;

/// <summary>
/// A member state sent observations of a dataflow: how many were new, and the periods they span. Written with the
/// observations themselves (outbox), so a broker outage delays it but never loses it.
/// </summary>
public sealed record DatasetPublished(
    Guid EventId, DateTimeOffset OccurredAt, string Dataflow, string Country, int Added, string FirstPeriod, string LastPeriod)
    : IIntegrationEvent;

/// <summary>
/// A member state sent new values for observations LMIS already had; the earlier values are kept as vintages and
/// can still be read "as of" a date before the revision.
/// </summary>
public sealed record ObservationsRevised(
    Guid EventId, DateTimeOffset OccurredAt, string Dataflow, string Country, int Revised, IReadOnlyList<string> SeriesKeys)
    : IIntegrationEvent;
