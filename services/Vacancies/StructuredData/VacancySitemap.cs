using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Xml;
using Lmis.BuildingBlocks.Addresses;
using Lmis.BuildingBlocks.ApiDocument;
using Lmis.BuildingBlocks.Errors;
using Lmis.Contracts.Events;
using Lmis.Vacancies.Publishing;
using Lmis.Vacancies.Search;

namespace Lmis.Vacancies.StructuredData;

/// <summary>
/// The open vacancies as a sitemaps.org sitemap, so search engines find every JobPosting: each <c>&lt;loc&gt;</c> a
/// JobPosting's public address, each <c>&lt;lastmod&gt;</c> when the vacancy last changed. It lives under
/// <c>/api/v1/vacancies/</c> because a sitemap may only list addresses below its own folder.
/// <list type="bullet">
/// <item><c>GET /api/v1/vacancies/sitemap.xml</c>: the sitemap, or, with more open vacancies than one sitemap holds
/// (<see cref="SitemapSize"/>, at most <see cref="MaxUrls"/>), a sitemap index of its parts.</item>
/// <item><c>GET /api/v1/vacancies/sitemap-part.xml[?pageToken=]</c>: one part. Parts start at a keyset position of
/// the search (<see cref="VacancySearch"/>), so a part is read from where it starts, not past every part before it.</item>
/// </list>
/// </summary>
public static class VacancySitemap
{
    public const string Path = "/api/v1/vacancies/sitemap.xml";

    public const string PartPath = "/api/v1/vacancies/sitemap-part.xml";

    public const string Namespace = "http://www.sitemaps.org/schemas/sitemap/0.9";

    public const string MediaType = "application/xml";

    /// <summary>The most URLs one sitemap, and the most sitemaps one index, may hold (sitemaps.org).</summary>
    public const int MaxUrls = 50_000;

    private static readonly XmlWriterSettings Xml = new() { Async = true, Encoding = new UTF8Encoding(false), Indent = true };

    public static IEndpointRouteBuilder MapVacancySitemap(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, SitemapAsync)
            .Describe("GetVacancySitemap", Contracts.Vacancies.V1.VacanciesService.Descriptor.FullName, "A sitemap of the open vacancies' JobPostings")
            .WithDescription("sitemaps.org XML, each posting's URL with its last change; past the sitemaps.org limit, a sitemap index of parts.")
            .Produces<string>(StatusCodes.Status200OK, MediaType);
        endpoints.MapGet(PartPath, Part)
            .Describe("GetVacancySitemapPart", Contracts.Vacancies.V1.VacanciesService.Descriptor.FullName, "One part of the vacancy sitemap, as its index names it")
            .WithMetadata(new DocumentedQuery("pageToken", "Where the part starts, as the sitemap index gives it."))
            .Produces<string>(StatusCodes.Status200OK, MediaType);
        return endpoints;
    }

    private static async Task<IResult> SitemapAsync(HttpRequest request, SitemapSize size, VacancySearch search, PublicAddresses addresses, CancellationToken cancellationToken)
    {
        var baseUrl = addresses.BaseFor(request);
        var open = await search.SearchAsync(new VacancyQuery { Statuses = [VacancyStatus.Open], PageSize = 1, IncludeTotal = true }, cancellationToken);
        if (open.Total <= size.UrlsPerSitemap)
        {
            return UrlSet(baseUrl, new SitemapPart(search, size, null), cancellationToken);
        }

        // The index needs where each part starts, so it reads every open vacancy once (a chunk at a time); each part
        // is then read from where it starts.
        var parts = new List<(long? After, DateTimeOffset LastModified)>();
        for (var part = new SitemapPart(search, size, null); parts.Count < MaxUrls; part = new SitemapPart(search, size, part.Next))
        {
            DateTimeOffset? lastModified = null;
            await foreach (var vacancy in part.VacanciesAsync(cancellationToken))
            {
                lastModified = lastModified > vacancy.UpdatedAt ? lastModified : vacancy.UpdatedAt;
            }

            if (lastModified is { } newest)
            {
                parts.Add((part.After, newest));
            }

            if (part.Next is null)
            {
                break;
            }
        }

        return Results.Stream(async body =>
        {
            await using var xml = XmlWriter.Create(body, Xml);
            await xml.WriteStartDocumentAsync();
            await xml.WriteStartElementAsync(null, "sitemapindex", Namespace);
            foreach (var (after, lastModified) in parts)
            {
                await xml.WriteStartElementAsync(null, "sitemap", Namespace);
                await xml.WriteElementStringAsync(null, "loc", Namespace, PartUrl(baseUrl, after));
                await xml.WriteElementStringAsync(null, "lastmod", Namespace, W3cDateTime(lastModified));
                await xml.WriteEndElementAsync();
            }

            await xml.WriteEndElementAsync();
        }, MediaType + "; charset=utf-8");
    }

    private static IResult Part(HttpRequest request, SitemapSize size, VacancySearch search, PublicAddresses addresses, CancellationToken cancellationToken)
    {
        // The search's own reading of a page token: a token no page gave is a 400 problem, as a search answers it.
        if (VacancySearch.ReadPageToken(request.Query["pageToken"].FirstOrDefault(), out var after) is { } refused)
        {
            return new ValidationFailedException("Search", [refused]).ToProblem();
        }

        return UrlSet(addresses.BaseFor(request), new SitemapPart(search, size, after), cancellationToken);
    }

    /// <summary>A urlset written as its vacancies are read, so a part of 50,000 is never in memory at once.</summary>
    private static IResult UrlSet(string baseUrl, SitemapPart part, CancellationToken cancellationToken) => Results.Stream(async body =>
    {
        await using var xml = XmlWriter.Create(body, Xml);
        await xml.WriteStartDocumentAsync();
        await xml.WriteStartElementAsync(null, "urlset", Namespace);
        await foreach (var vacancy in part.VacanciesAsync(cancellationToken))
        {
            await xml.WriteStartElementAsync(null, "url", Namespace);
            await xml.WriteElementStringAsync(null, "loc", Namespace, JobPostingEndpoint.UrlOf(baseUrl, vacancy.Country, vacancy.SourceId));
            await xml.WriteElementStringAsync(null, "lastmod", Namespace, W3cDateTime(vacancy.UpdatedAt));
            await xml.WriteEndElementAsync();
        }

        await xml.WriteEndElementAsync();
    }, MediaType + "; charset=utf-8");

    private static string PartUrl(string baseUrl, long? after) =>
        baseUrl + PartPath + (after is { } token ? "?pageToken=" + token.ToString(CultureInfo.InvariantCulture) : string.Empty);

    /// <summary>The W3C Datetime form sitemaps.org asks for, in UTC, to the precision stored.</summary>
    private static string W3cDateTime(DateTimeOffset moment) =>
        moment.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}

/// <summary>
/// The open vacancies of one sitemap part, newest first from the keyset position <see cref="After"/> (null: the
/// newest), read through the search a page at a time; once read, <see cref="Next"/> is where the next part starts
/// (null after the last).
/// </summary>
internal sealed class SitemapPart(VacancySearch search, SitemapSize size, long? after)
{
    public long? After => after;

    public long? Next { get; private set; }

    public async IAsyncEnumerable<Vacancy> VacanciesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var read = 0;
        var position = after;
        do
        {
            // The last page of a part is cut to end exactly at the part's size.
            var page = await search.SearchAsync(new VacancyQuery
            {
                Statuses = [VacancyStatus.Open],
                PageSize = Math.Min(VacancySearch.MaxPageSize, size.UrlsPerSitemap - read),
                After = position,
            }, cancellationToken);
            foreach (var vacancy in page.Vacancies)
            {
                yield return vacancy;
            }

            read += page.Vacancies.Count;
            position = page.Next;
        }
        while (position is not null && read < size.UrlsPerSitemap);

        Next = position;
    }
}

/// <summary>
/// URLs per sitemap before <c>sitemap.xml</c> becomes an index: <c>Lmis:Vacancies:SitemapMaxUrls</c>, at most and by
/// default the <see cref="VacancySitemap.MaxUrls"/> sitemaps.org allows (smaller in tests).
/// </summary>
public sealed record SitemapSize(int UrlsPerSitemap)
{
    public const string ConfigurationKey = "Lmis:Vacancies:SitemapMaxUrls";

    public static SitemapSize From(IConfiguration configuration)
    {
        var urls = configuration.GetValue(ConfigurationKey, VacancySitemap.MaxUrls);
        return urls is < 1 or > VacancySitemap.MaxUrls
            ? throw new InvalidOperationException($"{ConfigurationKey} is {urls}: a sitemap holds 1 to {VacancySitemap.MaxUrls} URLs (sitemaps.org).")
            : new SitemapSize(urls);
    }
}
