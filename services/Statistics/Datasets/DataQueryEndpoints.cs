using System.Text;
using Lmis.BuildingBlocks.ApiDocument;
using Lmis.BuildingBlocks.Audit;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.BuildingBlocks.Security;
using Lmis.Contracts.Statistics.V1;
using Lmis.Statistics.Sdmx;
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

        var format = q["format"].ToString();
        var accept = context.Request.Headers.Accept.ToString();
        var observations = store.ReadAsync(query, cancellationToken);
        if (format == "json" || (format.Length == 0 && accept.Contains("json", StringComparison.OrdinalIgnoreCase)))
        {
            context.Response.ContentType = SdmxJsonWriter.MediaType;
            await SdmxJsonWriter.WriteAsync(context.Response.Body, query.Structure, observations, cancellationToken: cancellationToken);
            return;
        }

        context.Response.ContentType = format == "plain-csv" ? "text/csv; charset=utf-8" : SdmxCsvWriter.MediaType;
        await using var text = new StreamWriter(context.Response.Body, new UTF8Encoding(false));
        if (format == "plain-csv")
        {
            await PlainCsvWriter.WriteAsync(text, query.Structure, observations, cancellationToken);
        }
        else
        {
            await SdmxCsvWriter.WriteAsync(text, query.Structure, observations, cancellationToken: cancellationToken);
        }
    }
}
