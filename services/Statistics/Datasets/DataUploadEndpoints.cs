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
/// <c>POST /sdmx/data</c>: a member state's SDMX-CSV upload (1.0 or 2.0), row by row, or whole with
/// <c>?mode=all-or-nothing</c>.
/// </summary>
public static class DataUploadEndpoints
{
    public const string DataPath = "/sdmx/data";

    public static IEndpointRouteBuilder MapDataUploads(this IEndpointRouteBuilder endpoints)
    {
        var limits = endpoints.ServiceProvider.GetRequiredService<ServiceLimits>();
        // No Accepts(...) content-type constraint: routing would answer another type with 404; UploadAsync says 415 and why.
        endpoints.MapPost(DataPath, UploadAsync)
            .WithMetadata(new WriteAttribute(AccessRoles.Publisher), new UploadSizeLimit(limits.CsvMaxBytes))
            .Describe("UploadSdmxCsv", StatisticsService.Descriptor.FullName, "Upload observations as an SDMX-CSV file")
            .WithDescription("The publisher's own member state's observations of a built-in dataflow, SDMX-CSV 1.0 or 2.0 (docs/statistics.md). "
                + "Row by row (the default: good rows are stored, each refused row is listed with its line and reason) or all-or-nothing. "
                + "Every revision is kept.")
            .WithMetadata(
                new DocumentedRequestBody("SDMX-CSV 1.0 or 2.0, UTF-8.", "text/csv", "application/vnd.sdmx.data+csv"),
                new DocumentedQuery("mode", "row-by-row (the default) or all-or-nothing."))
            .Produces(StatusCodes.Status200OK, contentType: "application/json");
        return endpoints;
    }

    private static async Task<IResult> UploadAsync(HttpContext context, ObservationUpload upload, ServiceLimits limits, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.ContentType is not { } type
            || !(type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) || type.StartsWith("application/vnd.sdmx.data+csv", StringComparison.OrdinalIgnoreCase)))
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                detail: $"Send SDMX-CSV as text/csv or application/vnd.sdmx.data+csv (got {request.ContentType ?? "no content type"}).");
        }

        if (request.ContentLength > limits.CsvMaxBytes)
        {
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, detail: $"An upload is at most {limits.CsvMaxBytes} bytes; split the file.");
        }

        var mode = request.Query["mode"].ToString();
        if (mode is not ("" or "row-by-row" or "all-or-nothing"))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: $"mode '{mode}': row-by-row (the default) or all-or-nothing.");
        }

        var publisher = Caller.From(context).PublisherCountry;
        UploadResult result;
        try
        {
            using var text = new StreamReader(new BoundedStream(request.Body, limits.CsvMaxBytes, "The upload is too large."), new UTF8Encoding(false, false));
            result = await upload.UploadAsync(text, publisher, mode == "all-or-nothing", cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Results.Problem(statusCode: e.StatusCode, detail: $"An upload is at most {limits.CsvMaxBytes} bytes; split the file (rows read before the limit were stored).");
        }

        context.AuditSummary("SDMX upload " + result.Summary);
        var body = new
        {
            dataflow = result.Dataflow,
            received = result.Received,
            added = result.Added,
            revised = result.Revised,
            unchanged = result.Unchanged,
            rejected = result.Rejected,
            stored = result.Stored,
            // The same {field, value, reason} as every problem's errors; the field names the line ("line 2, REF_AREA").
            errors = FieldErrorShapes.ToProblemErrors(result.Errors),
        };
        // Nothing stored is never a success: the status, the body's "stored" and its errors say the same thing.
        return result.Stored
            ? Results.Json(body)
            : Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Request",
                detail: $"Nothing was stored: {result.Errors.Count} problem(s), the first: {(result.Errors.Count > 0 ? result.Errors[0] : null)}",
                extensions: new Dictionary<string, object?> { ["errors"] = body.errors, ["upload"] = body });
    }
}
