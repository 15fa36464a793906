using Lmis.BuildingBlocks.Outbox;
using Lmis.Contracts.Events;
using Lmis.Taxonomy.Schemes;

namespace Lmis.Taxonomy.Storage;

/// <summary>
/// Where scheme versions are kept: their concepts and relations, written once and never changed. Both adapters
/// pass <c>ConceptStoreConformance</c>.
/// </summary>
public interface IConceptStore
{
    /// <summary>The events written with releases, for the dispatcher.</summary>
    Outbox Outbox { get; }

    /// <summary>
    /// Stores the content as the next version of its scheme, with the release event, all or nothing. Readers never
    /// see a version whose content is not all stored. <paramref name="expectedLatest"/> is the version the content
    /// was checked against (0 for none): if another release came first, nothing is stored and
    /// <see cref="ConcurrentReleaseException"/> is thrown.
    /// </summary>
    Task<SchemeVersion> ReleaseVersionAsync(
        SchemeVersionContent content,
        int expectedLatest,
        Func<SchemeVersion, IIntegrationEvent> announce,
        DateTimeOffset releasedAt,
        CancellationToken cancellationToken);

    /// <summary>A released version of a scheme; the latest when <paramref name="version"/> is null.</summary>
    Task<SchemeVersion?> FindVersionAsync(string scheme, int? version, CancellationToken cancellationToken);

    /// <summary>Every released version of a scheme, oldest first.</summary>
    Task<IReadOnlyList<SchemeVersion>> ListVersionsAsync(string scheme, CancellationToken cancellationToken);

    /// <summary>The latest released version of every scheme.</summary>
    Task<IReadOnlyList<SchemeVersion>> ListLatestVersionsAsync(CancellationToken cancellationToken);

    /// <summary>The whole content of a released version, or null when there is no such version.</summary>
    Task<SchemeVersionContent?> LoadVersionAsync(string scheme, int version, CancellationToken cancellationToken);
}

/// <summary>Another release of the same scheme was stored while this one was being checked.</summary>
public sealed class ConcurrentReleaseException(string scheme, int expected, int actual)
    : Exception($"Scheme '{scheme}' moved from version {expected} to {actual} while this release was checked against version {expected}. Nothing was stored; import again.");
