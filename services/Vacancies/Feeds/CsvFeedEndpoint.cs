using System.Text;
using Google.Protobuf;
using Lmis.BuildingBlocks.Audit;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.Security;
using Lmis.Vacancies.Grpc;
using Lmis.Vacancies.Publishing;

namespace Lmis.Vacancies.Feeds;

/// <summary>
/// <c>POST /api/v1/vacancies:csv</c> (<c>text/csv</c>): a ministry's feed as a CSV file, published row by row with
/// the same rules as every other path. The answer lists each row's outcome by line number; a file whose header is
/// wrong is refused whole (400 problem).
/// </summary>
public static class CsvFeedEndpoint
{
    public const string Path = "/api/v1/vacancies:csv";

    public static IEndpointRouteBuilder MapCsvFeed(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, PublishAsync).Accepts<string>("text/csv").WithMetadata(new WriteAttribute(AccessRoles.Publisher));
        return endpoints;
    }

    private static async Task<IResult> PublishAsync(HttpContext context, VacancyPublishing publishing, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var publisher = Caller.From(context).Country ?? throw new AccessDeniedException("The credential is not bound to a member state.");
        if (request.ContentType is null || !request.ContentType.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                detail: $"Send the feed as text/csv (got {request.ContentType ?? "no content type"}).");
        }

        // Invalid UTF-8 becomes U+FFFD here, which the rules report on the field that holds it.
        using var text = new StreamReader(request.Body, new UTF8Encoding(false, throwOnInvalidBytes: false));
        try
        {
            var (csv, header) = await VacancyCsv.OpenAsync(text);
            using (csv)
            {
                var outcomes = await publishing.PublishFeedAsync(VacancyCsv.RowsAsync(csv, header, cancellationToken), publisher, cancellationToken);
                context.AuditSummary("CSV " + ItemOutcome.Summary(outcomes));
                return Results.Text(JsonFormatter.Default.Format(VacancyMessages.ToResponse(outcomes)), "application/json", Encoding.UTF8);
            }
        }
        catch (ValidationFailedException e)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Bad Request",
                detail: e.Message,
                extensions: new Dictionary<string, object?> { ["errors"] = e.Errors.Select(x => new { field = x.Field, reason = x.Value is null ? x.Reason : $"'{x.Value}': {x.Reason}" }) });
        }
    }
}
