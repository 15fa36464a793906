using System.Text;
using Lmis.BuildingBlocks.Addresses;
using Lmis.BuildingBlocks.ApiDocument;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.Vacancies.Storage;

namespace Lmis.Vacancies.StructuredData;

/// <summary>
/// <c>GET /api/v1/vacancies/{country}/{sourceId}.jsonld</c>: one vacancy as a schema.org <c>JobPosting</c>
/// (<c>application/ld+json</c>), public like every read. A closed vacancy still answers, with validThrough set to
/// when it closed, so a crawler learns the posting has ended instead of meeting a 404. The vacancy's own path gives
/// the same document to a caller whose Accept header asks for it (<see cref="JsonLdNegotiation"/>).
/// </summary>
public static class JobPostingEndpoint
{
    public const string Path = "/api/v1/vacancies/{country}/{sourceId}.jsonld";

    /// <summary>The vacancy's own path, answered with the JobPosting when Accept asks for application/ld+json.</summary>
    public const string NegotiatedPath = "/api/v1/vacancies/{country}/{sourceId}";

    /// <summary>The JobPosting document of a vacancy: <c>{base}/api/v1/vacancies/{country}/{sourceId}.jsonld</c>.</summary>
    public static string UrlOf(string baseUrl, string country, string sourceId) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{baseUrl}/api/v1/vacancies/{Uri.EscapeDataString(country)}/{Uri.EscapeDataString(sourceId)}.jsonld");

    public static IEndpointRouteBuilder MapJobPosting(this IEndpointRouteBuilder endpoints)
    {
        // A segment with a literal suffix ranks above the transcoded "/{country}/{source_id}", so ".jsonld" lands here.
        endpoints.MapGet(Path, GetAsync)
            .Describe("GetJobPosting", Contracts.Vacancies.V1.VacanciesService.Descriptor.FullName, "A vacancy as a schema.org JobPosting (JSON-LD)")
            .WithDescription("The vacancy as job boards and search engines read it (docs/vacancies.md). A closed vacancy still answers, "
                + "with validThrough set to when it closed. GetVacancy's path gives the same document when Accept asks for application/ld+json.")
            .Produces<string>(StatusCodes.Status200OK, JobPostingDocument.MediaType);
        // The same path and method as GetVacancy in the document: described there, not twice.
        endpoints.MapGet(NegotiatedPath, GetAsync).WithMetadata(new JsonLdEndpointMetadata()).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> GetAsync(
        string country, string sourceId, HttpRequest request, Region region, IVacancyStore store, PublicAddresses addresses, CancellationToken cancellationToken)
    {
        if (region.Find(country) is not { } member)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"'{country}' is not a member state of {region.Id}.");
        }

        // A source id may hold '/' ("STPS/2026/42"); its URL carries it as %2F, which the server leaves undecoded in
        // the path so that it does not split the segment. An id with "%2F" as text is the one it would misread.
        var vacancy = await store.FindAsync(member.Alpha3, sourceId.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase), cancellationToken);
        return vacancy is null
            ? Results.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"No vacancy '{sourceId}' published by {member.Alpha3}.")
            : Results.Text(
                JobPostingDocument.ToJson(vacancy, JobPostingEndpoint.UrlOf(addresses.BaseFor(request), vacancy.Country, vacancy.SourceId)),
                JobPostingDocument.MediaType, Encoding.UTF8);
    }
}
