using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Testing;
using Lmis.Vacancies.Grpc;

namespace Lmis.Vacancies.Tests.Api;

/// <summary>The open vacancies as a sitemaps.org sitemap (and index), in process.</summary>
public sealed class VacancySitemapApiTests
{
    private static readonly XNamespace Sitemaps = "http://www.sitemaps.org/schemas/sitemap/0.9";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task PublishAsync(ServiceHost<VacanciesGrpcService> vacancies, params string[] sourceIds)
    {
        var client = new VacanciesService.VacanciesServiceClient(vacancies.GrpcChannel(TestCaller.Publisher("MEX")));
        foreach (var sourceId in sourceIds)
        {
            var vacancy = new Vacancy { Country = "MEX", SourceId = sourceId, Title = "Albañil", OccupationCode = "7112", ValidThrough = TestDates.Open };
            await client.PublishVacancyAsync(new PublishVacancyRequest { Vacancy = vacancy }, cancellationToken: Ct);
        }
    }

    /// <summary>A sitemap document, checked to be XML in the sitemaps.org namespace served as application/xml.</summary>
    private static async Task<XElement> GetXmlAsync(ServiceHost<VacanciesGrpcService> vacancies, string url)
    {
        using var response = await vacancies.CreateClient().GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        var root = XDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).Root!;
        Assert.Equal(Sitemaps, root.Name.Namespace);
        return root;
    }

    private static Dictionary<string, DateTimeOffset> Urls(XElement urlset) => urlset.Elements(Sitemaps + "url").ToDictionary(
        u => u.Element(Sitemaps + "loc")!.Value,
        u => DateTimeOffset.Parse(u.Element(Sitemaps + "lastmod")!.Value, CultureInfo.InvariantCulture));

    [Fact]
    public async Task The_sitemap_lists_every_open_JobPosting_with_when_it_last_changed()
    {
        await using var service = new VacanciesInProcess();
        await service.InitializeAsync();
        await PublishAsync(service.Vacancies, "M-1", "M-2", "M-3");
        var client = new VacanciesService.VacanciesServiceClient(service.Vacancies.GrpcChannel(TestCaller.Publisher("MEX")));
        await client.CloseVacancyAsync(new CloseVacancyRequest { Country = "MEX", SourceId = "M-2", Reason = "withdrawn" }, cancellationToken: Ct);
        // A change after publishing is its lastmod.
        await client.PublishVacancyAsync(new PublishVacancyRequest
        {
            Vacancy = new Vacancy { Country = "MEX", SourceId = "M-3", Title = "Albañil con experiencia", OccupationCode = "7112", ValidThrough = TestDates.Open },
        }, cancellationToken: Ct);

        var urlset = await GetXmlAsync(service.Vacancies, "/api/v1/vacancies/sitemap.xml");

        Assert.Equal(Sitemaps + "urlset", urlset.Name);
        var expected = new Dictionary<string, DateTimeOffset>();
        foreach (var sourceId in new[] { "M-1", "M-3" })
        {
            var vacancy = await client.GetVacancyAsync(new GetVacancyRequest { Country = "MEX", SourceId = sourceId }, cancellationToken: Ct);
            expected[$"http://localhost/api/v1/vacancies/MEX/{sourceId}.jsonld"] = DateTimeOffset.Parse(vacancy.UpdatedAt, CultureInfo.InvariantCulture);
        }

        Assert.Equal(expected.OrderBy(u => u.Key), Urls(urlset).OrderBy(u => u.Key));
    }

    [Fact]
    public async Task Every_loc_of_the_sitemap_answers_with_its_JobPosting()
    {
        await using var service = new VacanciesInProcess();
        await service.InitializeAsync();
        await PublishAsync(service.Vacancies, "Ñandú 1");

        var loc = Assert.Single(Urls(await GetXmlAsync(service.Vacancies, "/api/v1/vacancies/sitemap.xml"))).Key;
        var posting = JsonNode.Parse(await service.Vacancies.CreateClient().GetStringAsync(loc, Ct))!;

        Assert.Equal("http://localhost/api/v1/vacancies/MEX/%C3%91and%C3%BA%201.jsonld", loc);
        Assert.Equal(loc, posting["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task Over_the_limit_the_sitemap_is_an_index_whose_parts_hold_every_open_vacancy_once()
    {
        await using var service = new VacanciesInProcess(host => host.WithSetting("Lmis:Vacancies:SitemapMaxUrls", "2"));
        await service.InitializeAsync();
        await PublishAsync(service.Vacancies, "P-1", "P-2", "P-3", "P-4", "P-5");

        var index = await GetXmlAsync(service.Vacancies, "/api/v1/vacancies/sitemap.xml");

        Assert.Equal(Sitemaps + "sitemapindex", index.Name);
        var parts = index.Elements(Sitemaps + "sitemap").ToArray();
        Assert.Equal(3, parts.Length);
        Assert.All(parts, p => Assert.NotNull(p.Element(Sitemaps + "lastmod")));
        var locs = new List<string>();
        foreach (var part in parts)
        {
            var url = part.Element(Sitemaps + "loc")!.Value;
            Assert.StartsWith("http://localhost/api/v1/vacancies/sitemap-part.xml", url, StringComparison.Ordinal);
            var urlset = await GetXmlAsync(service.Vacancies, url);
            Assert.Equal(Sitemaps + "urlset", urlset.Name);
            var urls = Urls(urlset);
            Assert.InRange(urls.Count, 1, 2);
            // A part's lastmod is its newest vacancy's.
            Assert.Equal(urls.Values.Max(), DateTimeOffset.Parse(part.Element(Sitemaps + "lastmod")!.Value, CultureInfo.InvariantCulture));
            locs.AddRange(urls.Keys);
        }

        Assert.Equal(
            ["P-1", "P-2", "P-3", "P-4", "P-5"],
            locs.Select(l => l["http://localhost/api/v1/vacancies/MEX/".Length..^".jsonld".Length]).Order());
    }

    [Fact]
    public async Task A_part_longer_than_one_search_page_is_read_whole_and_ends_at_its_size()
    {
        await using var service = new VacanciesInProcess(host => host.WithSetting("Lmis:Vacancies:SitemapMaxUrls", "201"));
        await service.InitializeAsync();
        using (var call = new VacanciesService.VacanciesServiceClient(service.Vacancies.GrpcChannel(TestCaller.Publisher("MEX"))).PublishVacancies(cancellationToken: Ct))
        {
            for (var i = 1; i <= 203; i++)
            {
                var vacancy = new Vacancy { Country = "MEX", SourceId = $"B-{i}", Title = "Albañil", OccupationCode = "7112", ValidThrough = TestDates.Open };
                await call.RequestStream.WriteAsync(new PublishVacancyRequest { Vacancy = vacancy }, Ct);
            }

            await call.RequestStream.CompleteAsync();
            Assert.Equal(203, (await call).Created);
        }

        var index = await GetXmlAsync(service.Vacancies, "/api/v1/vacancies/sitemap.xml");
        var parts = new List<Dictionary<string, DateTimeOffset>>();
        foreach (var loc in index.Elements(Sitemaps + "sitemap").Select(s => s.Element(Sitemaps + "loc")!.Value))
        {
            parts.Add(Urls(await GetXmlAsync(service.Vacancies, loc)));
        }

        Assert.Equal([201, 2], parts.Select(p => p.Count));
        Assert.Equal(203, parts.SelectMany(p => p.Keys).Distinct().Count());
    }

    [Fact]
    public async Task The_sitemap_names_the_configured_public_address()
    {
        await using var service = new VacanciesInProcess(host => host.WithSetting("Lmis:PublicBaseUrl", "https://lmis.example.org"));
        await service.InitializeAsync();
        await PublishAsync(service.Vacancies, "A-1");

        Assert.Equal("https://lmis.example.org/api/v1/vacancies/MEX/A-1.jsonld", Assert.Single(Urls(await GetXmlAsync(service.Vacancies, "/api/v1/vacancies/sitemap.xml"))).Key);
    }

    [Fact]
    public async Task A_sitemap_part_with_a_token_no_index_gave_is_a_400_problem()
    {
        await using var service = new VacanciesInProcess();
        await service.InitializeAsync();

        using var response = await service.Vacancies.CreateClient().GetAsync("/api/v1/vacancies/sitemap-part.xml?pageToken=x1", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
