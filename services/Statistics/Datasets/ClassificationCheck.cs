using System.Collections.Concurrent;
using Grpc.Core;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Statistics.Sdmx;

namespace Lmis.Statistics.Datasets;

/// <summary>
/// Whether the classification codes of an upload exist: member states in the region, occupations and sectors in the
/// taxonomy (each distinct code asked once per upload). Countries and currencies are checked by the reader, against the ISO lists built in (Lmis.BuildingBlocks.Codes).
/// </summary>
public sealed class ClassificationCheck(TaxonomyService.TaxonomyServiceClient taxonomy, Region region)
{
    private readonly ConcurrentDictionary<(string Kind, string Code), Task<string?>> _answers = new();

    /// <summary>Why a code is refused, or null when it exists.</summary>
    public Task<string?> ProblemAsync(string kind, string code, CancellationToken cancellationToken) => kind switch
    {
        ClassificationKinds.MemberState => Task.FromResult(MemberStateProblem(region, code)),
        ClassificationKinds.Isco08 or ClassificationKinds.Isic4 => _answers.GetOrAdd((kind, code), key => LookUpAsync(key.Kind, key.Code, cancellationToken)),
        _ => Task.FromResult<string?>(null),
    };

    /// <summary>Why a code is not a member state of the region, or null.</summary>
    public static string? MemberStateProblem(Region region, string code) => region.Find(code) is null ? $"not a member state of {region.Id}" : null;

    private async Task<string?> LookUpAsync(string scheme, string code, CancellationToken cancellationToken)
    {
        try
        {
            await taxonomy.GetConceptAsync(new GetConceptRequest { Scheme = scheme, Code = code }, cancellationToken: cancellationToken);
            return null;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return $"not a code of {scheme} in the taxonomy";
        }
        catch (RpcException e)
        {
            throw new DependencyUnavailableException($"The taxonomy service could not check {scheme} code {code} ({e.Status.Detail}); nothing was stored.", e);
        }
    }
}
