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
/// <param name="UpdatedAfter">Only values recorded after this time: what changed since a mirror last pulled.</param>
/// <param name="IncludeHistory">Every value kept, the earlier ones with the latest, ordered by vintage first.</param>
public sealed record ObservationQuery(
    DataStructure Structure, IReadOnlyCollection<string> Areas, Func<string, bool> Series, PeriodBounds Bounds, DateTimeOffset? AsOf,
    IReadOnlyCollection<string>? SeriesKeys = null, DateTimeOffset? UpdatedAfter = null, bool IncludeHistory = false);

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

    /// <summary>
    /// The observations a query asks for, each with its <see cref="Observation.Vintage"/>, ordered by series key, then
    /// period. With <see cref="ObservationQuery.IncludeHistory"/>, the latest values and every earlier one kept,
    /// ordered by vintage (recorded, then superseded, the latest last) first: each run of one vintage is one data set.
    /// </summary>
    IAsyncEnumerable<Observation> ReadAsync(ObservationQuery query, CancellationToken cancellationToken);

    /// <summary>When a value of the dataflow was last recorded (added or revised), null when it has none: what a cache validates against.</summary>
    Task<DateTimeOffset?> LastChangedAsync(DataStructure structure, CancellationToken cancellationToken);
}
