using Grpc.Core;
using Lmis.BuildingBlocks.Errors;
using Lmis.Contracts.Taxonomy.V1;

namespace Lmis.Statistics.RegionalViews;

/// <summary>A labour-mobility pathway in force from one country to another: its id, type and name.</summary>
public sealed record PathwayLink(string Id, string Type, string Name);

/// <summary>
/// The pathways in force from an origin to a destination (for an occupation, when given), from the taxonomy's
/// registry, each named in the language asked (else in English, else in the language it has a name in).
/// </summary>
public sealed class ConnectingPathways(TaxonomyService.TaxonomyServiceClient taxonomy)
{
    public async Task<IReadOnlyList<PathwayLink>> FindAsync(
        string origin, string destination, string? occupation, string? language, CancellationToken cancellationToken)
    {
        var shownIn = OccupationTitles.Language(language).Language;
        try
        {
            var found = await taxonomy.SearchPathwaysAsync(
                new SearchPathwaysRequest { Origin = origin, Destination = destination, Occupation = occupation ?? string.Empty }, cancellationToken: cancellationToken);
            return [.. found.Pathways.Select(p => new PathwayLink(p.Id, p.Type,
                p.Names.TryGetValue(shownIn, out var name) || p.Names.TryGetValue(OccupationTitles.DefaultLanguage, out name) ? name : p.Names.Values.FirstOrDefault() ?? p.Id))];
        }
        catch (RpcException e) when (e.StatusCode is not StatusCode.InvalidArgument)
        {
            throw new DependencyUnavailableException($"The taxonomy service could not list the pathways ({e.Status.Detail}).", e);
        }
    }
}
