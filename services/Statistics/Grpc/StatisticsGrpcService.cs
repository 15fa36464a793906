using Grpc.Core;
using Lmis.BuildingBlocks.Audit;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.BuildingBlocks.Security;
using Lmis.Contracts.Audit.V1;
using Lmis.Contracts.Statistics.V1;
using Lmis.Statistics.Storage;
using Microsoft.AspNetCore.Authorization;

namespace Lmis.Statistics.Grpc;

/// <summary>Translates between the public protocol and the statistics service's stores.</summary>
public sealed class StatisticsGrpcService(
    IVacancyFigureStore figures, Region region, [FromKeyedServices(StatisticsModule.Service)] AuditTrail audit)
    : StatisticsService.StatisticsServiceBase
{
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
