using Lmis.BuildingBlocks.ApiDocument;
using Lmis.BuildingBlocks.Errors;
using Lmis.Contracts.Statistics.V1;
using Lmis.Statistics.Sdmx;
using Lmis.Statistics.Sdmx.Rest;

namespace Lmis.Statistics.Structures;

/// <summary>
/// SDMX REST structure queries, in the SDMX 2.1 form (<c>GET /sdmx/dataflow/RCM/DF_UNE_RT/latest?references=all</c>)
/// and the SDMX 3.0 form (<c>GET /sdmx/structure/dataflow/RCM/DF_UNE_RT/~</c>), answered as SDMX-ML 2.1 (default) or
/// SDMX-JSON 2.0. A structure type LMIS has none of is answered 501, never 404.
/// </summary>
public static class StructureEndpoints
{
    public const string Path = "/sdmx";

    public static IServiceCollection AddStructures(this IServiceCollection services) =>
        services.AddSingleton<TaxonomyCodes>().AddSingleton<StructureCatalog>();

    public static IEndpointRouteBuilder MapStructures(this IEndpointRouteBuilder endpoints)
    {
        var resources = string.Join('|', StructureQuery.Resources21);
        endpoints.MapGet(Path + "/{resource:regex(^(" + resources + ")$)}/{agencyID?}/{resourceID?}/{version?}/{itemID?}", Query21Async)
            .Describe("GetSdmxStructures", StatisticsService.Descriptor.FullName, "Read structures (SDMX REST 2.1 form)")
            .WithDescription("resource: dataflow, datastructure, codelist, conceptscheme, categoryscheme, categorisation, agencyscheme "
                + "(organisationscheme); the other SDMX structure resources answer 501. agencyID, resourceID: ids, several joined by +, or all; "
                + "version: latest (default), all, or a version; itemID: codes of a codelist (items of a scheme), or all.")
            .WithMetadata(Documented())
            .Produces<string>(StatusCodes.Status200OK, SdmxMlStructureWriter.MediaType, SdmxJsonStructureWriter.MediaType);
        endpoints.MapGet(Path + "/structure/{structureType?}/{agencyID?}/{resourceID?}/{version?}/{itemID?}", Query30Async)
            .Describe("GetSdmxStructuresV2", StatisticsService.Descriptor.FullName, "Read structures (SDMX REST 3.0 form)")
            .WithDescription("structureType: dataflow, datastructure, codelist, conceptscheme, categoryscheme, categorisation, agencyscheme, or * "
                + "for all; the other SDMX structure types answer 501. agencyID, resourceID: ids, several joined by a comma, or *; "
                + "version: ~ (latest, the default), *, a version, or 1.0+ (the latest from 1.0 within major version 1); itemID: items of a scheme. "
                + "/sdmx/structure/{agencyID}/... without a type is SDMX 2.1's structure resource.")
            .WithMetadata(Documented())
            .Produces<string>(StatusCodes.Status200OK, SdmxMlStructureWriter.MediaType, SdmxJsonStructureWriter.MediaType);
        return endpoints;
    }

    private static object[] Documented() =>
    [
        new DocumentedQuery("references", "none (default), parents, parentsandsiblings, ancestors, children, descendants, all, or a structure type such as codelist."),
        new DocumentedQuery("detail", "full (default), allstubs, referencestubs, allcompletestubs, referencecompletestubs, or referencepartial (codelists cut to the codes the dataflow uses)."),
        new DocumentedQuery("format", "xml (SDMX-ML 2.1, the default) or json (SDMX-JSON 2.0); Accept may ask for either instead."),
    ];

    private static Task Query21Async(
        HttpContext context, StructureCatalog catalog, TimeProvider clock,
        string resource, string? agencyID, string? resourceID, string? version, string? itemID) =>
        AnswerAsync(context, catalog, clock, q => StructureQuery.Parse21(resource, agencyID, resourceID, version, itemID, q["references"], q["detail"]));

    private static Task Query30Async(
        HttpContext context, StructureCatalog catalog, TimeProvider clock,
        string? structureType, string? agencyID, string? resourceID, string? version, string? itemID) =>
        AnswerAsync(context, catalog, clock, q =>
        {
            if (structureType is null || structureType == "*" || StructureQuery.IsStructureType30(structureType))
            {
                return StructureQuery.Parse30(structureType, agencyID, resourceID, version, itemID, q["references"], q["detail"]);
            }

            // SDMX 2.1's "structure" resource: /structure/{agencyID}/{resourceID}/{version}, of every type.
            return itemID is null
                ? StructureQuery.Parse21("structure", structureType, agencyID, resourceID, version, q["references"], q["detail"])
                : throw new StructureQueryException(StatusCodes.Status400BadRequest, $"'{structureType}' is not an SDMX structure type.");
        });

    private static async Task AnswerAsync(HttpContext context, StructureCatalog catalog, TimeProvider clock, Func<IQueryCollection, StructureQuery> parse)
    {
        var request = context.Request;
        var choice = SdmxNegotiation.Choose(StructureMessageFormats.Offered, request.Query["format"], request.Headers.Accept, out var notAcceptable);
        if (choice is null)
        {
            await SdmxErrors.WriteAsync(context, null, StatusCodes.Status406NotAcceptable, notAcceptable!);
            return;
        }

        IReadOnlyList<ShownArtefact> shown;
        try
        {
            shown = await StructureSelection.SelectAsync(catalog, parse(request.Query), context.RequestAborted);
        }
        catch (StructureQueryException e)
        {
            await SdmxErrors.WriteAsync(context, choice, e.Status, e.Message);
            return;
        }
        catch (DependencyUnavailableException e)
        {
            await SdmxErrors.WriteAsync(context, choice, StatusCodes.Status503ServiceUnavailable, e.Message);
            return;
        }

        if (shown.Count == 0)
        {
            await SdmxErrors.WriteAsync(context, choice, StatusCodes.Status404NotFound, $"No structure matches {request.Path}.");
            return;
        }

        var message = new StructureMessage(shown, BuiltInDataflows.Agency, clock.GetUtcNow(), $"{request.Scheme}://{request.Host}{request.PathBase}", Language(request));
        context.Response.ContentType = choice.Kind.MediaType;
        if (choice.Kind == StructureMessageFormats.SdmxJson20)
        {
            context.Response.Headers.ContentLanguage = message.Language; // SDMX-ML carries every language
        }

        await StructureMessageFormats.WriteAsync(choice.Kind, context.Response.Body, message, context.RequestAborted);
    }

    /// <summary>The first language of Accept-Language that LMIS names structures in; English otherwise.</summary>
    private static string Language(HttpRequest request) =>
        request.GetTypedHeaders().AcceptLanguage
            .Where(l => l.Quality is null or > 0)
            .OrderByDescending(l => l.Quality ?? 1)
            .Select(l => l.Value.Value?.Split('-')[0].ToLowerInvariant())
            .FirstOrDefault(l => l is not null && LocalizedNames.Languages.Contains(l)) ?? "en";
}
