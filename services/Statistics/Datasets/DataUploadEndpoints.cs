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
/// <c>POST /sdmx/data</c>: a member state's upload, SDMX-CSV (1.0 or 2.0) or SDMX-ML 2.1, in the region's shape or
/// ILOSTAT's, row by row, or whole with <c>?mode=all-or-nothing</c>.
/// </summary>
public static class DataUploadEndpoints
{
    public const string DataPath = "/sdmx/data";

    private static readonly string[] CsvTypes = ["text/csv", "application/vnd.sdmx.data+csv"];

    private static readonly string[] XmlTypes =
        ["application/xml", "text/xml", "application/vnd.sdmx.structurespecificdata+xml", "application/vnd.sdmx.genericdata+xml"];

    public static IEndpointRouteBuilder MapDataUploads(this IEndpointRouteBuilder endpoints)
    {
        var limits = endpoints.ServiceProvider.GetRequiredService<ServiceLimits>();
        // No Accepts(...) content-type constraint: routing would answer another type with 404; UploadAsync says 415 and why.
        endpoints.MapPost(DataPath, UploadAsync)
            .WithMetadata(new WriteAttribute(AccessRoles.Publisher), new UploadSizeLimit(limits.CsvMaxBytes))
            .Describe("UploadSdmxCsv", StatisticsService.Descriptor.FullName, "Upload observations as an SDMX-CSV or SDMX-ML file")
            .WithDescription("The publisher's own member state's observations of a built-in dataflow, SDMX-CSV 1.0 or 2.0 or SDMX-ML 2.1 "
                + "(StructureSpecificData or GenericData), in the region's shape or exactly as sent to the ILO: a file naming an ILOSTAT dataflow "
                + "is read through its mapping, which the answer names (docs/statistics.md). "
                + "Row by row (the default: good rows are stored, each refused row is listed with its line and reason) or all-or-nothing. "
                + "Every revision is kept.")
            .WithMetadata(
                new DocumentedRequestBody("SDMX-CSV 1.0 or 2.0 (UTF-8), or SDMX-ML 2.1 data.", [.. CsvTypes, .. XmlTypes]),
                new DocumentedQuery("mode", "row-by-row (the default) or all-or-nothing."),
                new DocumentedQuery("validateOnly", "true: check every row as for storing and store nothing (the answer's stored is false)."))
            .Produces(StatusCodes.Status200OK, contentType: "application/json");
        return endpoints;
    }

    private static async Task<IResult> UploadAsync(HttpContext context, ObservationUpload upload, ServiceLimits limits, CancellationToken cancellationToken)
    {
        var request = context.Request;
        UploadFormat format;
        if (Is(request.ContentType, CsvTypes))
        {
            format = UploadFormat.SdmxCsv;
        }
        else if (Is(request.ContentType, XmlTypes))
        {
            format = UploadFormat.SdmxMl;
        }
        else
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                detail: $"Send SDMX-CSV as {string.Join(" or ", CsvTypes)}, or SDMX-ML 2.1 as {string.Join(", ", XmlTypes)} (got {request.ContentType ?? "no content type"}).");
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

        var validateOnly = request.Query["validateOnly"].ToString();
        if (validateOnly is not ("" or "true" or "false"))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: $"validateOnly '{validateOnly}': true or false.");
        }

        var publisher = Caller.From(context).PublisherCountry;
        UploadResult result;
        try
        {
            await using var bounded = new BoundedStream(request.Body, limits.CsvMaxBytes, "The upload is too large.");
            result = await upload.UploadAsync(bounded, format, publisher, mode == "all-or-nothing", checkOnly: validateOnly == "true", cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Results.Problem(statusCode: e.StatusCode, detail: $"An upload is at most {limits.CsvMaxBytes} bytes; split the file (rows read before the limit were stored).");
        }

        context.AuditSummary("SDMX upload " + result.Summary);
        var body = new
        {
            dataflow = result.Dataflow,
            // Which mapping read a file in another agency's shape (ILOSTAT's), and the dataflow the file named; null otherwise.
            mapping = result.Mapping is null ? null : new { id = result.Mapping, from = result.MappedFrom },
            received = result.Received,
            added = result.Added,
            revised = result.Revised,
            unchanged = result.Unchanged,
            rejected = result.Rejected,
            stored = result.Stored,
            // The same {field, value, reason} as every problem's errors; the field names the line ("line 2, REF_AREA").
            errors = FieldErrorShapes.ToProblemErrors(result.Errors),
        };
        // Nothing stored is never a success (nor a check that found nothing to store): the status, the body's
        // "stored" and its errors say the same thing.
        return result.Accepted
            ? Results.Json(body)
            : Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Request",
                detail: $"{(result.CheckOnly ? "Nothing would be stored" : "Nothing was stored")}: {result.Errors.Count} problem(s), the first: {(result.Errors.Count > 0 ? result.Errors[0] : null)}",
                extensions: new Dictionary<string, object?> { ["errors"] = body.errors, ["upload"] = body });
    }

    /// <summary>Whether a content type is one of these media types, whatever its parameters (charset=utf-8).</summary>
    private static bool Is(string? contentType, string[] mediaTypes) =>
        contentType is not null && mediaTypes.Any(m => contentType.StartsWith(m, StringComparison.OrdinalIgnoreCase)
            && (contentType.Length == m.Length || contentType[m.Length] is ';' or ' '));
}
