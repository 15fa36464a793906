using Grpc.Core;
using Lmis.BuildingBlocks.Errors;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Taxonomy.Schemes;
using Lmis.Taxonomy.Storage;

namespace Lmis.Taxonomy.Grpc;

/// <summary>Translates between the public protocol and the taxonomy's own types; the rules live in <see cref="SchemeReleases"/>.</summary>
public sealed class TaxonomyGrpcService(SchemeReleases releases, IConceptStore store) : TaxonomyService.TaxonomyServiceBase
{
    public override async Task<ImportSchemeVersionResponse> ImportSchemeVersion(ImportSchemeVersionRequest request, ServerCallContext context)
    {
        var released = await releases.ReleaseAsync(
            request.Scheme,
            request.Concepts.Select(c => new ConceptSubmission(c.Code, c.ParentCode, c.Labels)).ToArray(),
            context.CancellationToken);
        return new ImportSchemeVersionResponse
        {
            Scheme = released.Scheme,
            Version = released.Version,
            ConceptCount = released.ConceptCount,
        };
    }

    public override async Task<Contracts.Taxonomy.V1.Concept> GetConcept(GetConceptRequest request, ServerCallContext context)
    {
        var version = await store.FindVersionAsync(request.Scheme, request.Version > 0 ? request.Version : null, context.CancellationToken)
            ?? throw new NotFoundException(request.Version > 0
                ? $"Scheme '{request.Scheme}' has no version {request.Version}."
                : $"Scheme '{request.Scheme}' has no released version.");
        var concept = await store.FindConceptAsync(version.Scheme, version.Version, request.Code.Trim(), context.CancellationToken)
            ?? throw new NotFoundException($"No concept '{request.Code}' in {version.Scheme} version {version.Version}.");
        return new Contracts.Taxonomy.V1.Concept
        {
            Scheme = version.Scheme,
            Version = version.Version,
            Code = concept.Code,
            ParentCode = concept.ParentCode ?? string.Empty,
            Level = concept.Level,
            Labels = { concept.Labels.ToDictionary() },
        };
    }

    public override async Task<ListSchemesResponse> ListSchemes(ListSchemesRequest request, ServerCallContext context)
    {
        var versions = await store.ListLatestVersionsAsync(context.CancellationToken);
        return new ListSchemesResponse
        {
            Schemes =
            {
                versions.Select(v => new ConceptScheme { Scheme = v.Scheme, LatestVersion = v.Version, ConceptCount = v.ConceptCount }),
            },
        };
    }
}
