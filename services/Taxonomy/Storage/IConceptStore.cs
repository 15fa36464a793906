using Lmis.BuildingBlocks.Outbox;
using Lmis.Contracts.Events;
using Lmis.Taxonomy.Schemes;

namespace Lmis.Taxonomy.Storage;

/// <summary>Where scheme versions and their concepts are kept. Both adapters pass <c>ConceptStoreConformance</c>.</summary>
public interface IConceptStore
{
    /// <summary>The events written with releases, for the dispatcher.</summary>
    Outbox Outbox { get; }

    /// <summary>
    /// Stores the concepts as the next version of the scheme and its release event, all or nothing. Readers
    /// never see a version whose concepts are not all stored.
    /// </summary>
    Task<SchemeVersion> ReleaseVersionAsync(
        string scheme,
        IReadOnlyList<Concept> concepts,
        Func<SchemeVersion, IIntegrationEvent> announce,
        DateTimeOffset releasedAt,
        CancellationToken cancellationToken);

    /// <summary>A released version of a scheme; the latest when <paramref name="version"/> is null.</summary>
    Task<SchemeVersion?> FindVersionAsync(string scheme, int? version, CancellationToken cancellationToken);

    Task<Concept?> FindConceptAsync(string scheme, int version, string code, CancellationToken cancellationToken);

    /// <summary>The latest released version of every scheme.</summary>
    Task<IReadOnlyList<SchemeVersion>> ListLatestVersionsAsync(CancellationToken cancellationToken);
}
