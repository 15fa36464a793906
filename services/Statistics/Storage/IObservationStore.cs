using Lmis.BuildingBlocks.Outbox;
using Lmis.Statistics.Sdmx;

namespace Lmis.Statistics.Storage;

/// <summary>What one save did: observations new to LMIS, revised (the earlier value kept as a vintage), or unchanged.</summary>
public sealed record ObservationsSaved(int Added, int Revised, int Unchanged, IReadOnlyList<string> RevisedSeries);

/// <summary>Which observations of one dataflow a query wants.</summary>
/// <param name="Areas">REF_AREA values, empty for all.</param>
/// <param name="Series">Whether a series key matches the rest of the query key.</param>
/// <param name="Bounds">startPeriod / endPeriod.</param>
/// <param name="AsOf">Read the values as they stood at this time, before later revisions; null for the latest.</param>
/// <param name="SeriesKeys">When the query names every dimension, the series keys it can match (looked up directly).</param>
public sealed record ObservationQuery(
    DataStructure Structure, IReadOnlyCollection<string> Areas, Func<string, bool> Series, PeriodBounds Bounds, DateTimeOffset? AsOf,
    IReadOnlyCollection<string>? SeriesKeys = null);

/// <summary>
/// The observations member states sent, with every earlier value of a revised observation kept. Both adapters pass
/// <c>ObservationStoreConformance</c>.
/// </summary>
public interface IObservationStore
{
    Outbox Outbox { get; }

    /// <summary>
    /// Saves a batch of one dataflow in one write, with the events announcing it: new observations are added, changed
    /// ones revised (the earlier value kept as a vintage, readable as of a time before this save), equal ones left alone.
    /// </summary>
    Task<ObservationsSaved> SaveAsync(
        DataStructure structure, IReadOnlyList<Observation> observations, string publisher, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The observations a query asks for, ordered by series key, then period.</summary>
    IAsyncEnumerable<Observation> ReadAsync(ObservationQuery query, CancellationToken cancellationToken);
}
