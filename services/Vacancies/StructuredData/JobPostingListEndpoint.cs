using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Lmis.BuildingBlocks.Addresses;
using Lmis.BuildingBlocks.ApiDocument;
using Lmis.BuildingBlocks.Errors;
using Lmis.Contracts.Events;
using Lmis.Vacancies.Publishing;
using Lmis.Vacancies.Search;

namespace Lmis.Vacancies.StructuredData;

/// <summary>
/// <c>GET /api/v1/vacancies.jsonld?country=&amp;pageSize=&amp;pageToken=</c>: the open vacancies, newest first, as a
/// schema.org <c>ItemList</c> of JobPostings for crawlers and job boards, a page at a time. Paging is the search's
/// keyset paging (<see cref="VacancySearch"/>): following <c>next</c> neither skips nor repeats a vacancy while
/// others are published. The path sits beside <c>/api/v1/vacancies</c>, not under it, so it can never be taken for
/// a vacancy's own path.
/// </summary>
public static class JobPostingListEndpoint
{
    public const string Path = "/api/v1/vacancies.jsonld";

    /// <summary>
    /// The IANA link relation "next" as an IRI (RFC 8288 §2.1.1), the one term the list adds to schema.org's context:
    /// schema.org has no property for the next page of a list.
    /// </summary>
    public const string NextRelation = "http://www.iana.org/assignments/relation/next";

    public static IEndpointRouteBuilder MapJobPostingList(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, ListAsync)
            .Describe("ListJobPostings", Contracts.Vacancies.V1.VacanciesService.Descriptor.FullName, "Open vacancies as a schema.org ItemList of JobPostings (JSON-LD), a page at a time")
            .WithDescription("For job boards and crawlers: newest first, with a next link in the body and in the Link header (docs/vacancies.md).")
            .WithMetadata(
                new DocumentedQuery("country", "Member states, ISO 3166-1 alpha-3 or alpha-2, comma-separated."),
                new DocumentedQuery("pageSize", "Postings per page."),
                new DocumentedQuery("pageToken", "The next page, as the previous page's next link gives it."))
            .Produces<string>(StatusCodes.Status200OK, JobPostingDocument.MediaType);
        return endpoints;
    }

    private static async Task<IResult> ListAsync(HttpContext context, VacancySearch search, PublicAddresses addresses, CancellationToken cancellationToken)
    {
        VacancyQuery query;
        try
        {
            query = OpenVacancies(context.Request.Query, search);
        }
        catch (ValidationFailedException e)
        {
            return e.ToProblem();
        }

        var page = await search.SearchAsync(query, cancellationToken);
        var baseUrl = addresses.BaseFor(context.Request);
        var next = page.Next is { } after ? PageUrl(baseUrl, query, after) : null;
        var list = new JsonObject
        {
            ["@context"] = new JsonArray("https://schema.org", new JsonObject { ["next"] = new JsonObject { ["@id"] = NextRelation, ["@type"] = "@id" } }),
            ["@type"] = "ItemList",
            ["url"] = PageUrl(baseUrl, query, query.After),
        };
        if (next is not null)
        {
            list["next"] = next;
            // The same link for clients that read headers, not bodies (RFC 8288).
            context.Response.Headers.Link = $"<{next}>; rel=\"next\"";
        }

        list["itemListElement"] = new JsonArray([.. page.Vacancies.Select(v =>
            (JsonNode)JobPostingDocument.Posting(v, JobPostingEndpoint.UrlOf(baseUrl, v.Country, v.SourceId)))]);
        return Results.Text(JobPostingDocument.ToJson(list), JobPostingDocument.MediaType, Encoding.UTF8);
    }

    /// <summary>
    /// The open vacancies of the countries asked for, checked as a search checks them: a country outside the region, a
    /// page size outside 1 to <see cref="VacancySearch.MaxPageSize"/> or a page token no page gave is a 400 problem.
    /// </summary>
    private static VacancyQuery OpenVacancies(IQueryCollection parameters, VacancySearch search)
    {
        var errors = new List<FieldError>();
        var pageSize = 0;
        if (parameters["pageSize"].FirstOrDefault() is { } size
            && (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > VacancySearch.MaxPageSize))
        {
            errors.Add(new FieldError("page_size", size, $"1 to {VacancySearch.MaxPageSize}"));
            pageSize = 0;
        }

        VacancyQuery? query = null;
        try
        {
            query = search.ToQuery(new SearchRequest
            {
                Countries = parameters["country"].FirstOrDefault(),
                Status = VacancyStatus.Open,
                PageSize = pageSize,
                PageToken = parameters["pageToken"].FirstOrDefault(),
            });
        }
        catch (ValidationFailedException e)
        {
            errors.AddRange(e.Errors);
        }

        return errors.Count == 0 && query is not null ? query : throw new ValidationFailedException("List", errors);
    }

    /// <summary>The page of <paramref name="query"/> starting after <paramref name="after"/>, its parameters in one order.</summary>
    private static string PageUrl(string baseUrl, VacancyQuery query, long? after)
    {
        var parameters = new List<KeyValuePair<string, string?>>();
        if (query.Countries.Count > 0)
        {
            parameters.Add(new("country", string.Join(',', query.Countries)));
        }

        if (query.PageSize != VacancySearch.DefaultPageSize)
        {
            parameters.Add(new("pageSize", query.PageSize.ToString(CultureInfo.InvariantCulture)));
        }

        if (after is { } token)
        {
            parameters.Add(new("pageToken", token.ToString(CultureInfo.InvariantCulture)));
        }

        return baseUrl + Path + QueryString.Create(parameters).ToUriComponent();
    }
}
