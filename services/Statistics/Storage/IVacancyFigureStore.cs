using Lmis.Contracts.Events;

namespace Lmis.Statistics.Storage;

/// <summary>Open vacancies and positions in one member state and ISCO-08 major group.</summary>
public sealed record VacancyCount(string Country, string OccupationMajorGroup, int OpenVacancies, int OpenPositions);

/// <summary>The latest known state of every vacancy, as far as the figures need it. Both adapters pass <c>VacancyFigureStoreConformance</c>.</summary>
public interface IVacancyFigureStore
{
    /// <summary>
    /// Keeps each snapshot that is newer than what is kept for its vacancy, all in one write; returns how many were
    /// newer (a snapshot equal to or older than the kept one changes nothing).
    /// </summary>
    Task<int> ApplyAsync(IReadOnlyList<VacancySnapshot> vacancies, CancellationToken cancellationToken);

    /// <summary>Open vacancy counts by country and major group; one country's, or every country's when null.</summary>
    Task<IReadOnlyList<VacancyCount>> CountOpenAsync(string? country, CancellationToken cancellationToken);

    /// <summary>Every vacancy kept, as the derived figures need it; one country's, or every country's when null.</summary>
    IAsyncEnumerable<VacancyFact> FactsAsync(string? country, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps the newer snapshots as <see cref="ApplyAsync"/> does and, in the same write, the position in the vacancies
    /// service's change feed they were read up to; returns how many were newer.
    /// </summary>
    Task<int> ApplyFromChangeFeedAsync(IReadOnlyList<VacancySnapshot> vacancies, long position, CancellationToken cancellationToken);

    /// <summary>The change feed position the figures have read up to (0 when nothing was read yet).</summary>
    Task<long> ReadChangeFeedPositionAsync(CancellationToken cancellationToken);

    /// <summary>Forgets every vacancy and the change feed position, before the figures are derived again from the start.</summary>
    Task ClearAsync(CancellationToken cancellationToken);
}

/// <summary>What the figures keep of one vacancy at its latest known version.</summary>
public sealed record VacancyFact(
    string Country, string OccupationCode, int Positions, string Status, DateOnly Posted, DateOnly? Closed,
    bool ForeignWorkersEligible, bool FeeFree, decimal? WageMin, decimal? WageMax, string? WageCurrency, string? WagePeriod)
{
    /// <summary>
    /// The vacancy as the figures keep it: posted on its own posting date, else the day LMIS first published it;
    /// fee-free unless it says the worker pays recruitment fees.
    /// </summary>
    public static VacancyFact Of(VacancySnapshot v) => new(
        v.Country, v.OccupationCode, v.Positions, v.Status,
        v.DatePosted ?? DateOnly.FromDateTime((v.PublishedAt ?? DateTimeOffset.UnixEpoch).UtcDateTime),
        v.ClosedAt is { } closed ? DateOnly.FromDateTime(closed.UtcDateTime) : null,
        v.ForeignWorkersEligible, !v.WorkerPaysRecruitmentFees, v.WageMin, v.WageMax, v.WageCurrency, v.WagePeriod);
}

public static class VacancyFigureRules
{
    /// <summary>The ISCO-08 major group is the first digit of any ISCO-08 code.</summary>
    public static string MajorGroup(string isco08Code) => isco08Code.Length > 0 ? isco08Code[..1] : string.Empty;
}
