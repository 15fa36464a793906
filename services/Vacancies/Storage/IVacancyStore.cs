using Lmis.BuildingBlocks.Outbox;
using Lmis.Vacancies.Publishing;
using Lmis.Vacancies.Search;

namespace Lmis.Vacancies.Storage;

/// <summary>
/// A vacancy as a ministry's feed identifies it, with its validated content, and the reason it is sent closed
/// (filled, withdrawn) or null to publish it open.
/// </summary>
public sealed record VacancyWrite(string Country, string SourceId, VacancyContent Content, string? Closing = null);

/// <summary>Where vacancies are kept. Both adapters pass <c>VacancyStoreConformance</c>.</summary>
public interface IVacancyStore
{
    /// <summary>The events written with vacancy changes, for the dispatcher.</summary>
    Outbox Outbox { get; }

    /// <summary>
    /// Creates, updates or closes each vacancy (country, source id) as <see cref="Vacancy.Apply"/> decides, and writes
    /// its event in the same atomic write; the whole batch commits together. A write that changes nothing writes no event.
    /// </summary>
    Task<IReadOnlyList<(Vacancy Vacancy, PublishOutcome Outcome)>> UpsertAsync(
        IReadOnlyList<VacancyWrite> writes, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Closes an open vacancy (filled, withdrawn, expired) with its event; null when there is no such vacancy.</summary>
    Task<(Vacancy Vacancy, PublishOutcome Outcome)?> CloseAsync(
        string country, string sourceId, string reason, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Closes as expired up to <paramref name="max"/> open vacancies whose closing date is before <paramref name="today"/>.</summary>
    Task<int> ExpireAsync(DateOnly today, DateTimeOffset now, int max, CancellationToken cancellationToken);

    Task<Vacancy?> FindAsync(string country, string sourceId, CancellationToken cancellationToken);

    Task<VacancyPage> SearchAsync(VacancyQuery query, CancellationToken cancellationToken);

    /// <summary>Every open vacancy as of one moment, and that moment's change cursor.</summary>
    IAsyncEnumerable<(long Cursor, Vacancy Vacancy)> SnapshotAsync(string? country, CancellationToken cancellationToken);

    /// <summary>Vacancies whose latest change comes after the cursor, in change order (each vacancy once, as it is now).</summary>
    Task<IReadOnlyList<Vacancy>> ChangesAsync(long after, string? country, int max, CancellationToken cancellationToken);
}

public static class VacancyStoreExtensions
{
    public static async Task<(Vacancy Vacancy, PublishOutcome Outcome)> UpsertAsync(
        this IVacancyStore store, VacancyWrite write, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await store.UpsertAsync([write], now, cancellationToken))[0];

    public static Task<(Vacancy Vacancy, PublishOutcome Outcome)> UpsertAsync(
        this IVacancyStore store, string country, string sourceId, VacancyContent content, DateTimeOffset now, CancellationToken cancellationToken) =>
        store.UpsertAsync(new VacancyWrite(country, sourceId, content), now, cancellationToken);
}
