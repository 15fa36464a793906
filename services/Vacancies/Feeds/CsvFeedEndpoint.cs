using System.Text;
using Google.Protobuf;
using Lmis.BuildingBlocks.ApiDocument;
using Lmis.BuildingBlocks.Audit;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.Security;
using Lmis.Vacancies.Grpc;
using Lmis.Vacancies.Publishing;
using Lmis.Vacancies.Search;
using PublishVacanciesResponse = Lmis.Contracts.Vacancies.V1.PublishVacanciesResponse;
using VacanciesService = Lmis.Contracts.Vacancies.V1.VacanciesService;

namespace Lmis.Vacancies.Feeds;

/// <summary>
/// <c>POST /api/v1/vacancies:csv</c> (<c>text/csv</c>): a ministry's feed as a CSV file, published row by row with
/// the same rules as every other path. The answer lists each row's outcome by line number; a file whose header is
/// wrong is refused whole (400 problem), one over the size limit with 413.
/// </summary>
public static class CsvFeedEndpoint
{

    public const string Path = "/api/v1/vacancies:csv";

    /// <summary>Every count in the answer, zeros included: "rejected": 0 is an answer, a missing member is not.</summary>
    private static readonly JsonFormatter Answer = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static IEndpointRouteBuilder MapCsvFeed(this IEndpointRouteBuilder endpoints)
    {
        var limits = endpoints.ServiceProvider.GetRequiredService<ServiceLimits>();
        // No Accepts("text/csv"): routing would refuse another media type with a bare 415; the handler says which it takes.
        endpoints.MapPost(Path, PublishAsync)
            .WithMetadata(new WriteAttribute(AccessRoles.Publisher), new UploadSizeLimit(limits.CsvMaxBytes))
            .Describe("PublishVacanciesCsv", VacanciesService.Descriptor.FullName, "Publish a feed of vacancies as a CSV file")
            .WithDescription("The publisher's own member state's vacancies, one per row in the documented columns (docs/vacancies.md), "
                + "each published as PublishVacancy would: created, updated, unchanged, closed or refused with its line and reason. "
                + "A file that is not CSV as documented is refused whole. With validateOnly=true, every row is checked by the same rules and nothing is stored.")
            .WithMetadata(new DocumentedQuery("validateOnly", "true: check the feed and store nothing; an accepted row's outcome is PUBLISH_OUTCOME_VALID."))
            .WithMetadata(new DocumentedRequestBody("The feed: a header row, then one vacancy per row (UTF-8).", "text/csv"))
            .Produces<PublishVacanciesResponse>(StatusCodes.Status200OK, "application/json");
        endpoints.MapGet(Path, ExportAsync)
            .Describe("ExportVacanciesCsv", VacanciesService.Descriptor.FullName, "Export vacancies as a CSV file")
            .WithDescription("Every vacancy the filters select, newest first, in the feed's columns: sent back as a feed it changes nothing. "
                + "With for=spreadsheet, values that a spreadsheet would run as formulas are defused.")
            .WithMetadata(ExportFilters.Select(f => new DocumentedQuery(f.Name, f.Description)).ToArray<object>())
            .Produces<string>(StatusCodes.Status200OK, "text/csv");
        return endpoints;
    }

    private static async Task<IResult> PublishAsync(HttpContext context, VacancyPublishing publishing, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var publisher = Caller.From(context).PublisherCountry;
        if (request.ContentType is null || !request.ContentType.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                detail: $"Send the feed as text/csv (got {request.ContentType ?? "no content type"}).",
                extensions: new Dictionary<string, object?> { ["expected"] = "text/csv" });
        }

        if (!TryReadValidateOnly(request, out var checkOnly))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest,
                detail: $"validateOnly is true or false (got '{request.Query["validateOnly"]}').");
        }

        // Invalid UTF-8 becomes U+FFFD here, which the rules report on the field that holds it.
        var maxBytes = context.RequestServices.GetRequiredService<ServiceLimits>().CsvMaxBytes;
        if (request.ContentLength > maxBytes)
        {
            return TooLarge(maxBytes);
        }

        using var text = new StreamReader(new BoundedStream(request.Body, maxBytes, "The CSV feed is too large."), new UTF8Encoding(false, throwOnInvalidBytes: false));
        try
        {
            var (csv, header) = await VacancyCsv.OpenAsync(text);
            using (csv)
            {
                var rows = VacancyCsv.RowsAsync(csv, header, cancellationToken);
                var outcomes = checkOnly
                    ? await publishing.CheckFeedAsync(rows, publisher, cancellationToken)
                    : await publishing.PublishFeedAsync(rows, publisher, cancellationToken);
                context.AuditSummary((checkOnly ? "check (nothing stored) of CSV " : "CSV ") + ItemOutcome.Summary(outcomes));
                return Results.Text(Answer.Format(VacancyMessages.ToResponse(outcomes)), "application/json", Encoding.UTF8);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // A file sent without its length: the rows read before the limit were published (idempotently, so the
            // file can be resent, split).
            return TooLarge(maxBytes);
        }
        catch (ValidationFailedException e)
        {
            return e.ToProblem();
        }
    }

    /// <summary><c>?validateOnly=true</c>: check the feed by every rule and store nothing.</summary>
    private static bool TryReadValidateOnly(HttpRequest request, out bool checkOnly)
    {
        checkOnly = false;
        var value = request.Query["validateOnly"];
        return value.Count == 0 || bool.TryParse(value.ToString(), out checkOnly);
    }

    /// <summary>Most rows one export holds; narrow the filters for more.</summary>
    public const int ExportMaxRows = 100_000;

    /// <summary>
    /// <c>GET /api/v1/vacancies:csv?country=&amp;occupation=&amp;sector=&amp;status=&amp;text=&amp;postedSince=</c>: the
    /// vacancies a search finds, newest first, as a CSV file in the feed format (at most <see cref="ExportMaxRows"/>);
    /// <c>for=spreadsheet</c> defuses cells a spreadsheet would run as formulas.
    /// </summary>
    private static readonly (string Name, string Description)[] ExportFilters =
    [
        ("country", "Member states, ISO 3166-1 alpha-3 or alpha-2, comma-separated."),
        ("occupation", "ISCO-08 code or prefix."),
        ("sector", "ISIC Rev.4 code or prefix."),
        ("status", "open (the default), filled, withdrawn, expired or all."),
        ("employmentType", "permanent, temporary, seasonal, apprenticeship, internship or other."),
        ("originCountry", "Vacancies open to workers from this country (ISO 3166-1)."),
        ("pathwayId", "Vacancies offered under this labour-mobility pathway."),
        ("feeFreeOnly", "true: only vacancies that charge workers no recruitment fee."),
        ("postedSince", "Posted on or after this date (YYYY-MM-DD)."),
        ("text", "Words in the title or description."),
        ("for", "feed (the default: reads back as the same feed) or spreadsheet (formulas defused, for people)."),
    ];

    private static async Task ExportAsync(HttpContext context, VacancySearch search, CancellationToken cancellationToken)
    {
        var q = context.Request.Query;
        string? Q(string name) => q[name].FirstOrDefault();
        VacancyQuery query;
        bool forSpreadsheet;
        try
        {
            forSpreadsheet = Q("for") switch
            {
                null or "" or "feed" => false,
                "spreadsheet" => true,
                var other => throw new ValidationFailedException("Export",
                    [new FieldError("for", other, "feed (the default: reads back as the same feed) or spreadsheet (formulas defused, for people)")]),
            };
            query = search.ToQuery(new SearchRequest
            {
                Countries = Q("country"),
                Occupation = Q("occupation"),
                Sector = Q("sector"),
                Status = Q("status"),
                EmploymentType = Q("employmentType"),
                OriginCountry = Q("originCountry"),
                PathwayId = Q("pathwayId"),
                FeeFreeOnly = Q("feeFreeOnly") == "true",
                PostedSince = Q("postedSince"),
                Text = Q("text"),
                PageSize = VacancySearch.MaxPageSize,
            });
        }
        catch (ValidationFailedException e)
        {
            await e.ToProblem().ExecuteAsync(context);
            return;
        }

        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = forSpreadsheet
            ? "attachment; filename=\"vacancies-spreadsheet.csv\""
            : "attachment; filename=\"vacancies.csv\"";
        await using var text = new StreamWriter(context.Response.Body, new UTF8Encoding(false));
        await VacancyCsv.WriteAsync(text, PagesAsync(search, query, cancellationToken), forSpreadsheet, cancellationToken);
    }

    private static async IAsyncEnumerable<Publishing.Vacancy> PagesAsync(
        VacancySearch search, VacancyQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var rows = 0;
        while (true)
        {
            var page = await search.SearchAsync(query, cancellationToken);
            foreach (var vacancy in page.Vacancies)
            {
                if (rows++ == ExportMaxRows)
                {
                    yield break;
                }

                yield return vacancy;
            }

            if (page.Next is null)
            {
                yield break;
            }

            query = query with { After = page.Next };
        }
    }

    private static IResult TooLarge(long maxBytes) => Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge,
        detail: $"A CSV feed is at most {maxBytes} bytes; split the file.");
}
