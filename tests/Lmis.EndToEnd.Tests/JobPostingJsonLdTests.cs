using System.Net;
using System.Text.Json;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Testing;

namespace Lmis.EndToEnd.Tests;

/// <summary>
/// The JobPosting of a vacancy, as the standalone host serves it, read by a real JSON-LD processor: the npm
/// <c>jsonld</c> package (installed once per machine into a cache folder) expands it to full schema.org IRIs.
/// </summary>
public sealed class JobPostingJsonLdTests(StandaloneStack stack) : IClassFixture<StandaloneStack>
{
    private static readonly NodePackages JsonLd = new("jsonld", "jsonld@9.0.0");

    /// <summary>
    /// Expands the document given as the argument. The test has no internet (and should not depend on schema.org being
    /// up), so the loader serves schema.org's context from here, cut to what expansion needs: every term in the
    /// schema.org vocabulary, and url as an IRI. The real context says the same for the properties a JobPosting uses,
    /// plus datatypes.
    /// </summary>
    private const string Expand = """
        const jsonld = require('jsonld');
        const schemaOrg = { '@context': { '@vocab': 'https://schema.org/', 'url': { '@id': 'https://schema.org/url', '@type': '@id' } } };
        const documentLoader = async url => {
          if (url.replace(/\/$/, '') === 'https://schema.org') {
            return { contextUrl: null, documentUrl: url, document: schemaOrg };
          }
          throw new Error('no document for ' + url + ' in this test');
        };
        jsonld.expand(JSON.parse(process.argv[1]), { documentLoader })
          .then(expanded => console.log(JSON.stringify(expanded)))
          .catch(error => { console.error(error); process.exit(1); });
        """;

    private const string Schema = "https://schema.org/";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Publishes a vacancy of Mexico with a unique source id, the taxonomy's codes imported first.</summary>
    private async Task<string> PublishAsync()
    {
        using (var admin = stack.Grpc(stack.SecretariatKey))
        {
            await new TaxonomyService.TaxonomyServiceClient(admin).ImportSchemeVersionAsync(IscoSample.ImportRequest(), cancellationToken: Ct);
        }

        var sourceId = $"STPS-JSONLD-{Guid.NewGuid():N}";
        using var publisher = stack.Grpc(await stack.PublisherKeyAsync("MEX"));
        await new VacanciesService.VacanciesServiceClient(publisher).PublishVacancyAsync(new PublishVacancyRequest
        {
            Vacancy = new Vacancy
            {
                Country = "MEX",
                SourceId = sourceId,
                Title = "Albañil",
                Description = "Obra de vivienda en Monterrey.",
                OccupationCode = "7112",
                Positions = 3,
                ValidThrough = DateTime.UtcNow.AddYears(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                EmployerName = "Constructora del Norte",
                LocationSubdivision = "MX-NLE",
                Wage = new Wage { Min = 9000, Max = 12000, Currency = "MXN", Period = "month" },
                EducationLevel = "6",
                RequiredSkills = { "Lectura de planos" },
                RequiredLanguages = { "es" },
            },
        }, cancellationToken: Ct);
        return sourceId;
    }

    [Fact]
    public async Task A_JSON_LD_processor_expands_a_vacancy_to_a_schema_org_JobPosting()
    {
        var sourceId = await PublishAsync();

        using var http = stack.Http();
        using var response = await http.GetAsync($"/api/v1/vacancies/MEX/{sourceId}.jsonld", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/ld+json", response.Content.Headers.ContentType?.MediaType);

        var posting = (await ExpandAsync(await response.Content.ReadAsStringAsync(Ct)))[0];

        AssertPosting(posting, sourceId);
    }

    [Fact]
    public async Task A_JSON_LD_processor_expands_the_list_of_open_vacancies_to_a_schema_org_ItemList_of_JobPostings()
    {
        await PublishAsync();
        var sourceId = await PublishAsync();

        using var http = stack.Http();
        using var response = await http.GetAsync("/api/v1/vacancies.jsonld?country=MEX&pageSize=1", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/ld+json", response.Content.Headers.ContentType?.MediaType);

        var list = (await ExpandAsync(await response.Content.ReadAsStringAsync(Ct)))[0];

        Assert.Equal([Schema + "ItemList"], list.GetProperty("@type").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(stack.HttpUrl + "/api/v1/vacancies.jsonld?country=MEX&pageSize=1", Node(list, "url").GetProperty("@id").GetString());
        var next = Assert.Single(list.GetProperty("http://www.iana.org/assignments/relation/next").EnumerateArray()).GetProperty("@id").GetString();
        Assert.StartsWith(stack.HttpUrl + "/api/v1/vacancies.jsonld?country=MEX&pageSize=1&pageToken=", next, StringComparison.Ordinal);
        // Newest first: the vacancy published last.
        AssertPosting(Node(list, "itemListElement"), sourceId);
    }

    /// <summary>A JobPosting of <see cref="PublishAsync"/>, expanded: every property a full schema.org IRI.</summary>
    private void AssertPosting(JsonElement posting, string sourceId)
    {
        Assert.Equal([Schema + "JobPosting"], posting.GetProperty("@type").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal($"{stack.HttpUrl}/api/v1/vacancies/MEX/{sourceId}.jsonld", Node(posting, "url").GetProperty("@id").GetString());
        Assert.Equal("Albañil", Value(posting, "title").GetString());
        Assert.Equal("Obra de vivienda en Monterrey.", Value(posting, "description").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", Value(posting, "datePosted").GetString());
        Assert.Equal("Constructora del Norte", Value(Node(posting, "hiringOrganization"), "name").GetString());
        var address = Node(Node(posting, "jobLocation"), "address");
        Assert.Equal([Schema + "PostalAddress"], address.GetProperty("@type").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(("MX", "MX-NLE"), (Value(address, "addressCountry").GetString(), Value(address, "addressRegion").GetString()));
        var salary = Node(Node(posting, "baseSalary"), "value");
        Assert.Equal((9000, 12000, "MONTH"), (Value(salary, "minValue").GetInt32(), Value(salary, "maxValue").GetInt32(), Value(salary, "unitText").GetString()));
        Assert.Equal("ISCO-08", Value(Node(Node(posting, "occupationalCategory"), "inCodeSet"), "name").GetString());
        Assert.Equal(3, Value(posting, "totalJobOpenings").GetInt32());

        var education = Node(posting, "educationRequirements");
        Assert.Equal([Schema + "EducationalOccupationalCredential"], education.GetProperty("@type").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("bachelor degree", Value(education, "credentialCategory").GetString());
        var level = Node(education, "educationalLevel");
        Assert.Equal(("6", "ISCED 2011"), (Value(level, "termCode").GetString(), Value(Node(level, "inDefinedTermSet"), "name").GetString()));

        var skills = posting.GetProperty(Schema + "skills").EnumerateArray().ToArray();
        Assert.Equal(2, skills.Length);
        Assert.Contains(skills, s => s.TryGetProperty("@value", out var text) && text.GetString() == "Lectura de planos");
        var language = Assert.Single(skills, s => s.TryGetProperty("@type", out _));
        Assert.Equal([Schema + "DefinedTerm"], language.GetProperty("@type").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(("es", "Spanish"), (Value(language, "termCode").GetString(), Value(language, "name").GetString()));
    }

    /// <summary>The one node a schema.org property holds in expanded form.</summary>
    private static JsonElement Node(JsonElement node, string property) => Assert.Single(node.GetProperty(Schema + property).EnumerateArray());

    private static JsonElement Value(JsonElement node, string property) => Node(node, property).GetProperty("@value");

    private static Task<JsonElement> ExpandAsync(string document) => JsonLd.RunScriptAsync(Expand, [document], Ct);
}
