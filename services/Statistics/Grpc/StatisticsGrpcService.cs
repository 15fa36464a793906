using Grpc.Core;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Contracts.Statistics.V1;
using Lmis.Statistics.Storage;

namespace Lmis.Statistics.Grpc;

/// <summary>Translates between the public protocol and the statistics service's stores.</summary>
public sealed class StatisticsGrpcService(IVacancyFigureStore figures, Region region) : StatisticsService.StatisticsServiceBase
{
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
