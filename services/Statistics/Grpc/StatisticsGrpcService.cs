using Grpc.Core;
using Lmis.BuildingBlocks.Audit;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.BuildingBlocks.Security;
using Lmis.Contracts.Audit.V1;
using Lmis.Contracts.Statistics.V1;
using Lmis.Statistics.Storage;
using Lmis.Statistics.VacancyFigures;
using Microsoft.AspNetCore.Authorization;

namespace Lmis.Statistics.Grpc;

/// <summary>Translates between the public protocol and the statistics service's stores.</summary>
public sealed class StatisticsGrpcService(
    IVacancyFigureStore figures, VacancyFiguresRebuild rebuild, Region region, [FromKeyedServices(StatisticsModule.Service)] AuditTrail audit)
    : StatisticsService.StatisticsServiceBase
{
    public override async Task<GetVacancyFiguresResponse> GetVacancyFigures(GetVacancyFiguresRequest request, ServerCallContext context)
    {
        var country = region.MemberFilter(request.Country, "Query");
        var query = VacancyFigureQuery.From(country, request.Level, request.FromMonth, request.ToMonth);
        var report = await VacancyFigureReport.ComputeAsync(figures.FactsAsync(country, context.CancellationToken), query, context.CancellationToken);
        return new GetVacancyFiguresResponse
        {
            Figures =
            {
                report.Select(f => new VacancyFigure
                {
                    Country = f.Country,
                    OccupationGroup = f.OccupationGroup,
                    OpenVacancies = f.OpenVacancies,
                    OpenPositions = f.OpenPositions,
                    ForeignWorkersEligibleShare = f.ForeignWorkersEligibleShare,
                    FeeFreeShare = f.FeeFreeShare,
                    Wages = { f.Wages.Select(w => new WageFigure { Currency = w.Currency, Period = w.Period, Median = (double)w.Median, Vacancies = w.Vacancies }) },
                    FilledVacancies = f.FilledVacancies,
                    MeanDaysToFill = f.MeanDaysToFill,
                    Months = { f.Months.Select(m => new MonthFigure { Month = m.Month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), OpenVacancies = m.OpenVacancies, OpenPositions = m.OpenPositions }) },
                }),
            },
        };
    }

    [Write(AccessRoles.Secretariat)]
    public override async Task<RebuildVacancyFiguresResponse> RebuildVacancyFigures(RebuildVacancyFiguresRequest request, ServerCallContext context)
    {
        var read = await rebuild.RunAsync(context.CancellationToken);
        context.AuditSummary($"vacancy figures rebuilt from {read} vacancies");
        return new RebuildVacancyFiguresResponse { Vacancies = read };
    }

    [Authorize(Policy = AccessPolicies.Secretariat)]
    public override Task<ListAuditRecordsResponse> ListAuditRecords(ListAuditRecordsRequest request, ServerCallContext context) =>
        audit.ListAsync(request, region, context.CancellationToken);

    public override async Task<GetVacancyCountsResponse> GetVacancyCounts(GetVacancyCountsRequest request, ServerCallContext context)
    {
        var country = region.MemberFilter(request.Country, "Query");
        var counts = await figures.CountOpenAsync(country, context.CancellationToken);
        return new GetVacancyCountsResponse
        {
            Counts =
            {
                counts.Select(c => new Contracts.Statistics.V1.VacancyCount
                {
                    Country = c.Country,
                    OccupationMajorGroup = c.OccupationMajorGroup,
                    OpenVacancies = c.OpenVacancies,
                    OpenPositions = c.OpenPositions,
                }),
            },
            TotalOpenVacancies = counts.Sum(c => c.OpenVacancies),
            TotalOpenPositions = counts.Sum(c => c.OpenPositions),
        };
    }
}
