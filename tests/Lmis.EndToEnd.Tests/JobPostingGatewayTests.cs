using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Testing;

namespace Lmis.EndToEnd.Tests;

/// <summary>
/// What crawlers read through the gateway of the distributed stack, anonymously: a JobPosting, the list of open
/// vacancies and the sitemap, each naming the gateway's address (where the public reaches them), never the vacancies
/// service's own.
/// </summary>
[Collection(DistributedStackCollection.Name)]
public sealed class JobPostingGatewayTests(DistributedStack stack)
{
    private static readonly XNamespace Sitemaps = "http://www.sitemaps.org/schemas/sitemap/0.9";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task JobPostings_their_list_and_the_sitemap_answer_through_the_gateway_with_the_gateway_s_address()
    {
        stack.RequireRunning();
        using (var admin = stack.Grpc(stack.SecretariatKey))
        {
            await new TaxonomyService.TaxonomyServiceClient(admin).ImportSchemeVersionAsync(IscoSample.ImportRequest(), cancellationToken: Ct);
        }

        var sourceIds = new[] { $"CRAWL-{Guid.NewGuid():N}", $"CRAWL-{Guid.NewGuid():N}" };
        using (var publisher = stack.Grpc(await stack.PublisherKeyAsync("MEX")))
        {
            foreach (var sourceId in sourceIds)
            {
                await new VacanciesService.VacanciesServiceClient(publisher).PublishVacancyAsync(new PublishVacancyRequest
                {
                    Vacancy = new Vacancy { Country = "MEX", SourceId = sourceId, Title = "Albañil", OccupationCode = "7112", Positions = 1 },
                }, cancellationToken: Ct);
            }
        }

        var gateway = stack.Gateway.HttpUrl;
        Assert.NotEqual(gateway, stack.Vacancies.HttpUrl);
        string Posting(string sourceId) => $"{gateway}/api/v1/vacancies/MEX/{sourceId}.jsonld";
        using var anonymous = stack.Http();

        using (var response = await anonymous.GetAsync($"/api/v1/vacancies/MEX/{sourceIds[1]}.jsonld", Ct))
        {
            var posting = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
            Assert.True(response.StatusCode == HttpStatusCode.OK, posting.ToJsonString());
            Assert.Equal(Posting(sourceIds[1]), posting["url"]!.GetValue<string>());
        }

        // Newest first, one a page: the second vacancy, then through next (the gateway's address) the first.
        var list = JsonNode.Parse(await anonymous.GetStringAsync("/api/v1/vacancies.jsonld?country=MEX&pageSize=1", Ct))!;
        Assert.Equal($"{gateway}/api/v1/vacancies.jsonld?country=MEX&pageSize=1", list["url"]!.GetValue<string>());
        Assert.Equal(Posting(sourceIds[1]), list["itemListElement"]![0]!["url"]!.GetValue<string>());
        var next = list["next"]!.GetValue<string>();
        Assert.StartsWith(gateway + "/", next, StringComparison.Ordinal);
        var second = JsonNode.Parse(await anonymous.GetStringAsync(next, Ct))!;
        Assert.Equal(Posting(sourceIds[0]), second["itemListElement"]![0]!["url"]!.GetValue<string>());

        using (var response = await anonymous.GetAsync("/api/v1/vacancies/sitemap.xml", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
            var urlset = XDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).Root!;
            Assert.Equal(Sitemaps + "urlset", urlset.Name);
            var locs = urlset.Elements(Sitemaps + "url").Select(u => u.Element(Sitemaps + "loc")!.Value).ToArray();
            Assert.Contains(Posting(sourceIds[0]), locs);
            Assert.Contains(Posting(sourceIds[1]), locs);
            Assert.All(locs, loc => Assert.StartsWith(gateway + "/", loc, StringComparison.Ordinal));
        }
    }
}
