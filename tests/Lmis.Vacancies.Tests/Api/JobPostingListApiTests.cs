using System.Net;
using System.Text.Json.Nodes;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Testing;
using Lmis.Vacancies.Grpc;

namespace Lmis.Vacancies.Tests.Api;

/// <summary>The open vacancies as a paged schema.org ItemList of JobPostings, for crawlers, in process.</summary>
public sealed class JobPostingListApiTests : IAsyncLifetime
{
    private readonly VacanciesInProcess _service = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ServiceHost<VacanciesGrpcService> Vacancies => _service.Vacancies;

    public ValueTask InitializeAsync() => _service.InitializeAsync();

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    private async Task PublishAsync(string country, string sourceId)
    {
        var client = new VacanciesService.VacanciesServiceClient(Vacancies.GrpcChannel(TestCaller.Publisher(country)));
        var vacancy = new Vacancy { Country = country, SourceId = sourceId, Title = "Albañil", OccupationCode = "7112", ValidThrough = TestDates.Open };
        await client.PublishVacancyAsync(new PublishVacancyRequest { Vacancy = vacancy }, cancellationToken: Ct);
    }

    private async Task CloseAsync(string country, string sourceId) =>
        await new VacanciesService.VacanciesServiceClient(Vacancies.GrpcChannel(TestCaller.Publisher(country)))
            .CloseVacancyAsync(new CloseVacancyRequest { Country = country, SourceId = sourceId, Reason = "filled" }, cancellationToken: Ct);

    private async Task<(JsonObject List, HttpResponseMessage Response)> GetAsync(string url)
    {
        var response = await Vacancies.CreateClient().GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/ld+json", response.Content.Headers.ContentType?.MediaType);
        return (JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsObject(), response);
    }

    [Fact]
    public async Task Following_next_walks_every_open_vacancy_of_a_country_once_newest_first_while_others_are_published()
    {
        for (var i = 1; i <= 7; i++)
        {
            await PublishAsync("MEX", $"L-{i}");
        }

        await PublishAsync("GTM", "L-GT");
        await CloseAsync("MEX", "L-4");

        var seen = new List<string>();
        var pages = 0;
        string? url = "/api/v1/vacancies.jsonld?country=MX&pageSize=2";
        while (url is not null)
        {
            var (list, response) = await GetAsync(url);
            using (response)
            {
                pages++;
                Assert.Equal("ItemList", list["@type"]!.GetValue<string>());
                var postings = list["itemListElement"]!.AsArray();
                Assert.InRange(postings.Count, 1, 2);
                Assert.All(postings, p =>
                {
                    Assert.Equal("JobPosting", p!["@type"]!.GetValue<string>());
                    Assert.Null(p["@context"]);
                    Assert.Equal($"http://localhost/api/v1/vacancies/MEX/{p["identifier"]!["value"]}.jsonld", p["url"]!.GetValue<string>());
                });
                seen.AddRange(postings.Select(p => p!["identifier"]!["value"]!.GetValue<string>()));

                url = list["next"]?.GetValue<string>();
                Assert.Equal(url is null ? null : $"<{url}>; rel=\"next\"", response.Headers.TryGetValues("Link", out var link) ? link.Single() : null);
                if (pages == 1)
                {
                    Assert.Equal("http://localhost/api/v1/vacancies.jsonld?country=MEX&pageSize=2", list["url"]!.GetValue<string>());
                    Assert.StartsWith("http://localhost/api/v1/vacancies.jsonld?country=MEX&pageSize=2&pageToken=", url, StringComparison.Ordinal);

                    // Published after the first page: newer than the cursor, so the walk neither meets it nor shifts.
                    await PublishAsync("MEX", "L-8");
                }
            }
        }

        Assert.Equal(["L-7", "L-6", "L-5", "L-3", "L-2", "L-1"], seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task The_list_document_is_JSON_LD_with_schema_org_and_the_IANA_next_relation_as_its_context()
    {
        await PublishAsync("MEX", "C-1");
        await PublishAsync("MEX", "C-2");

        var (list, response) = await GetAsync("/api/v1/vacancies.jsonld?pageSize=1");
        response.Dispose();

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""["https://schema.org", { "next": { "@id": "http://www.iana.org/assignments/relation/next", "@type": "@id" } }]"""),
            list["@context"]));
        Assert.Equal(["@context", "@type", "url", "next", "itemListElement"], list.Select(p => p.Key));
    }

    [Fact]
    public async Task The_last_page_has_no_next_and_an_empty_list_is_an_empty_page()
    {
        var (empty, response) = await GetAsync("/api/v1/vacancies.jsonld?country=PAN");
        response.Dispose();

        Assert.Empty(empty["itemListElement"]!.AsArray());
        Assert.Null(empty["next"]);
    }

    [Theory]
    [InlineData("pageToken=abc", "page_token")]
    [InlineData("pageToken=-5", "page_token")]
    [InlineData("pageSize=0", "page_size")]
    [InlineData("pageSize=201", "page_size")]
    [InlineData("pageSize=ten", "page_size")]
    [InlineData("country=FRA", "country")]
    public async Task A_bad_cursor_page_size_or_country_is_a_400_problem_naming_it(string query, string field)
    {
        using var response = await Vacancies.CreateClient().GetAsync("/api/v1/vacancies.jsonld?" + query, Ct);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([field], problem["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_plain_search_still_answers_beside_the_list()
    {
        await PublishAsync("MEX", "S-1");

        var search = JsonNode.Parse(await Vacancies.CreateClient().GetStringAsync("/api/v1/vacancies?country=MEX", Ct))!;

        Assert.Equal("S-1", search["vacancies"]![0]!["sourceId"]!.GetValue<string>());
    }
}
