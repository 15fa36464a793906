namespace Lmis.Contracts.Events;

/// <summary>A new version of a concept scheme (e.g. ISCO-08) was released and is now the latest.</summary>
public sealed record TaxonomyVersionReleased(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string Scheme,
    int Version,
    int ConceptCount) : IIntegrationEvent;
