using System.Globalization;
using Grpc.Core;
using Lmis.BuildingBlocks.Errors;
using Lmis.Contracts.Events;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Statistics.Storage;

namespace Lmis.Statistics.VacancyFigures;

/// <summary>
/// Derives the vacancy figures again from scratch: forgets every vacancy kept, then reads every vacancy the vacancies
/// service holds through its change feed from the start (each vacancy once, at its latest version) and applies them
/// as if their events had arrived. Events that arrive meanwhile are applied as usual; only newer versions win, so the
/// order does not matter.
/// </summary>
public sealed class VacancyFiguresRebuild(IVacancyFigureStore figures, VacanciesService.VacanciesServiceClient vacancies)
{
    private const int BatchSize = 2_000;

    public async Task<long> RunAsync(CancellationToken cancellationToken)
    {
        await figures.ClearAsync(cancellationToken);
        var batch = new List<VacancySnapshot>(BatchSize);
        long read = 0;
        try
        {
            using var changes = vacancies.StreamChanges(new StreamChangesRequest { After = 0 }, cancellationToken: cancellationToken);
            await foreach (var change in changes.ResponseStream.ReadAllAsync(cancellationToken))
            {
                batch.Add(ToSnapshot(change.Vacancy));
                read++;
                if (batch.Count == BatchSize)
                {
                    await figures.ApplyAsync(batch, cancellationToken);
                    batch.Clear();
                }
            }
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            throw new DependencyUnavailableException($"The vacancies service could not be read ({e.Status.Detail}); try the rebuild again.", e);
        }

        await figures.ApplyAsync(batch, cancellationToken);
        return read;
    }

    /// <summary>The vacancy as its events describe it; a closed vacancy's last change is its closing.</summary>
    public static VacancySnapshot ToSnapshot(Vacancy v)
    {
        static DateOnly? Day(string text) =>
            DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
        static DateTimeOffset? Time(string text) =>
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
        return new VacancySnapshot(
            Guid.Parse(v.Id), v.Country, v.SourceId, v.Version, v.OccupationCode, v.Positions, v.Status, Day(v.DatePosted), Day(v.ValidThrough))
        {
            SectorCode = v.SectorCode.Length == 0 ? null : v.SectorCode,
            ForeignWorkersEligible = v.ForeignWorkersEligible,
            WorkerPaysRecruitmentFees = v.WorkerPaysRecruitmentFees,
            PathwayId = v.PathwayId.Length == 0 ? null : v.PathwayId,
            WageMin = v.Wage is { Min: > 0 } ? (decimal)v.Wage.Min : null,
            WageMax = v.Wage is { Max: > 0 } ? (decimal)v.Wage.Max : null,
            WageCurrency = v.Wage is { Currency.Length: > 0 } ? v.Wage.Currency : null,
            WagePeriod = v.Wage is { Period.Length: > 0 } ? v.Wage.Period : null,
            PublishedAt = Time(v.PublishedAt),
            ClosedAt = v.Status == "open" ? null : Time(v.UpdatedAt),
        };
    }
}
