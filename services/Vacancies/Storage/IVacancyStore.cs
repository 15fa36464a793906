using Lmis.BuildingBlocks.Outbox;
using Lmis.Vacancies.Publishing;

namespace Lmis.Vacancies.Storage;

/// <summary>Where vacancies are kept. Both adapters pass <c>VacancyStoreConformance</c>.</summary>
public interface IVacancyStore
{
    /// <summary>The events written with vacancy changes, for the dispatcher.</summary>
    Outbox Outbox { get; }

    /// <summary>
    /// Creates or updates the vacancy (country, source id) and writes its event in the same atomic write.
    /// Content identical to the stored version changes nothing and writes no event.
    /// </summary>
    Task<(Vacancy Vacancy, PublishOutcome Outcome)> UpsertAsync(
        string country, string sourceId, VacancyContent content, DateTimeOffset now, CancellationToken cancellationToken);

    Task<Vacancy?> FindAsync(string country, string sourceId, CancellationToken cancellationToken);
}
