using System.Text;
using Lmis.BuildingBlocks.ApiDocument;
using Lmis.BuildingBlocks.Audit;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.BuildingBlocks.Security;
using Lmis.Contracts.Statistics.V1;
using Lmis.Statistics.Sdmx;
using Lmis.Statistics.Sdmx.Messages;
using Lmis.Statistics.Sdmx.Rest;
using Lmis.Statistics.Storage;

namespace Lmis.Statistics.Datasets;

/// <summary>
/// SDMX REST data queries: <c>GET /sdmx/data/{flow}/{key}</c>, the observations as SDMX-CSV 2.0 (default),
/// SDMX-JSON (<c>format=json</c> or <c>Accept: application/vnd.sdmx.data+json</c>) or plain CSV (<c>format=plain-csv</c>).
/// </summary>
public static class DataQueryEndpoints
{
    public static IEndpointRouteBuilder MapDataQueries(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(DataUploadEndpoints.DataPath + "/{flow}/{key?}", ExportAsync)
            .Describe("GetSdmxData", StatisticsService.Descriptor.FullName, "Read the observations of a dataflow")
            .WithDescription("flow: a dataflow id (e.g. DF_UNE_RT); key: the series key, dimension codes separated by dots, alternatives by + "
                + "(e.g. MEX+GTM.A), empty for all. As SDMX-CSV 2.0 (the default), SDMX-JSON or plain CSV.")
            .WithMetadata(
                new DocumentedQuery("startPeriod", "First period, e.g. 2021 or 2021-Q1."),
                new DocumentedQuery("endPeriod", "Last period."),
                new DocumentedQuery("asOf", "The figures as they stood at this time (ISO 8601): earlier revisions."),
                new DocumentedQuery("format", "json (SDMX-JSON) or plain-csv; by default SDMX-CSV 2.0, or SDMX-JSON when Accept asks for JSON."))
            .Produces<string>(StatusCodes.Status200OK, SdmxCsvWriter.MediaType, SdmxJsonWriter.MediaType, "text/csv");
        return endpoints;
    }

    private static async Task ExportAsync(HttpContext context, string flow, string? key, IObservationStore store, Region region, CancellationToken cancellationToken)
    {
        var q = context.Request.Query;
        ObservationQuery query;
        try
        {
            query = DataQuery.Parse(flow, key, q["startPeriod"], q["endPeriod"], q["asOf"], region);
        }
        catch (ValidationFailedException e)
        {
            await e.ToProblem().ExecuteAsync(context);
            return;
        }
        catch (NotFoundException e)
        {
            await Results.Problem(statusCode: StatusCodes.Status404NotFound, detail: e.Message).ExecuteAsync(context);
            return;
        }

        var choice = SdmxNegotiation.Choose(DataMessageFormats.Offered, q["format"], context.Request.Headers.Accept, out var notAcceptable);
        if (choice is null)
        {
            await SdmxErrors.WriteAsync(context, null, StatusCodes.Status406NotAcceptable, notAcceptable!);
            return;
        }

        var labels = DataMessageFormats.LabelsOf(choice, out var badLabels);
        if (labels is null)
        {
            await SdmxErrors.WriteAsync(context, null, StatusCodes.Status406NotAcceptable, badLabels!);
            return;
        }

        var options = new DataMessageOptions(labels.Value);
        if (!DataMessageFormats.CanWrite(choice.Kind, options, out var notImplemented))
        {
            await SdmxErrors.WriteAsync(context, choice, StatusCodes.Status501NotImplemented, notImplemented!);
            return;
        }

        context.Response.ContentType = choice.Kind.MediaType;
        await DataMessageFormats.WriteAsync(choice.Kind, context.Response.Body, query.Structure, store.ReadAsync(query, cancellationToken), options, cancellationToken);
    }
}
