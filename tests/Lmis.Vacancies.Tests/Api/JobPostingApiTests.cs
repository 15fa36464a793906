using System.Net;
using System.Text.Json.Nodes;
using Lmis.BuildingBlocks.Addresses;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Testing;
using Lmis.Vacancies.Grpc;
using Lmis.Vacancies.StructuredData;
using Microsoft.Extensions.Configuration;

namespace Lmis.Vacancies.Tests.Api;

/// <summary>A published vacancy as a schema.org JobPosting (JSON-LD), in process.</summary>
public sealed class JobPostingApiTests : IAsyncLifetime
{
    private readonly VacanciesInProcess _service = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ServiceHost<VacanciesGrpcService> Vacancies => _service.Vacancies;

    public ValueTask InitializeAsync() => _service.InitializeAsync();

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    private VacanciesService.VacanciesServiceClient Client() => new(Vacancies.GrpcChannel(TestCaller.Publisher("MEX")));

    /// <summary>A vacancy with every field the JobPosting maps.</summary>
    private static Vacancy Bricklayers(string sourceId) => new()
    {
        Country = "MEX",
        SourceId = sourceId,
        Title = "Albañil para obra en Monterrey",
        Description = "Construcción de vivienda <social>; se requiere experiencia.",
        Language = "es",
        OccupationCode = "7112",
        Positions = 12,
        DatePosted = "2026-11-01",
        ValidThrough = TestDates.Open,
        EmployerName = "Constructora del Norte, S.A. de C.V.",
        LocationSubdivision = "MX-NLE",
        LocationLocality = "Monterrey",
        EmploymentType = "temporary",
        WorkingTime = "full_time",
        ExperienceMonths = 24,
        EducationLevel = "3",
        RequiredSkills = { "Albañilería", "Lectura de planos" },
        RequiredLanguages = { "es" },
        Wage = new Wage { Min = 9000, Max = 12000, Currency = "MXN", Period = "month" },
        ForeignWorkersEligible = true,
        EligibleOriginCountries = { "GTM", "HND" },
    };

    [Fact]
    public async Task A_published_vacancy_is_a_schema_org_JobPosting_with_what_it_says()
    {
        await Client().PublishVacancyAsync(new PublishVacancyRequest { Vacancy = Bricklayers("JP-1") }, cancellationToken: Ct);

        using var response = await Vacancies.CreateClient().GetAsync("/api/v1/vacancies/MX/JP-1.jsonld", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/ld+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Albañil", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<social>", text, StringComparison.Ordinal);
        var expected = JsonNode.Parse($$"""
            {
              "@context": "https://schema.org",
              "@type": "JobPosting",
              "identifier": { "@type": "PropertyValue", "name": "MEX", "value": "JP-1" },
              "url": "http://localhost/api/v1/vacancies/MEX/JP-1.jsonld",
              "title": "Albañil para obra en Monterrey",
              "description": "Construcción de vivienda <social>; se requiere experiencia.",
              "datePosted": "2026-11-01",
              "validThrough": "{{TestDates.Open}}",
              "hiringOrganization": { "@type": "Organization", "name": "Constructora del Norte, S.A. de C.V." },
              "jobLocation": { "@type": "Place", "address": {
                "@type": "PostalAddress", "addressCountry": "MX", "addressRegion": "MX-NLE", "addressLocality": "Monterrey" } },
              "employmentType": ["FULL_TIME", "TEMPORARY"],
              "baseSalary": { "@type": "MonetaryAmount", "currency": "MXN",
                "value": { "@type": "QuantitativeValue", "minValue": 9000, "maxValue": 12000, "unitText": "MONTH" } },
              "occupationalCategory": { "@type": "CategoryCode", "codeValue": "7112",
                "inCodeSet": { "@type": "CategoryCodeSet", "name": "ISCO-08" } },
              "totalJobOpenings": 12,
              "experienceRequirements": { "@type": "OccupationalExperienceRequirements", "monthsOfExperience": 24 },
              "educationRequirements": { "@type": "EducationalOccupationalCredential", "credentialCategory": "high school",
                "educationalLevel": { "@type": "DefinedTerm", "termCode": "3", "name": "ISCED 2011 level 3",
                  "inDefinedTermSet": { "@type": "DefinedTermSet", "name": "ISCED 2011" } } },
              "skills": ["Albañilería", "Lectura de planos",
                { "@type": "DefinedTerm", "termCode": "es", "name": "Spanish", "inDefinedTermSet": { "@type": "DefinedTermSet", "name": "BCP 47" } }],
              "eligibilityToWorkRequirement": "Open to workers from Guatemala (GT), Honduras (HN)."
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(text)), text);
    }

    [Fact]
    public async Task A_minimal_vacancy_leaves_out_what_it_does_not_say()
    {
        var nurse = new Vacancy { Country = "MEX", SourceId = "JP-2", Title = "Enfermera", OccupationCode = "2221", Positions = 1, ValidThrough = TestDates.Open };
        await Client().PublishVacancyAsync(new PublishVacancyRequest { Vacancy = nurse }, cancellationToken: Ct);

        var document = JsonNode.Parse(await Vacancies.CreateClient().GetStringAsync("/api/v1/vacancies/MEX/JP-2.jsonld", Ct))!.AsObject();

        Assert.Equal(
            ["@context", "@type", "identifier", "url", "title", "datePosted", "validThrough", "jobLocation", "occupationalCategory", "totalJobOpenings"],
            document.Select(p => p.Key));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{ "@type": "PostalAddress", "addressCountry": "MX" }"""), document["jobLocation"]!["address"]));
    }

    [Theory]
    [InlineData("3", "high school")]
    [InlineData("4", "professional certificate")]
    [InlineData("5", "associate degree")]
    [InlineData("6", "bachelor degree")]
    [InlineData("7", "postgraduate degree")]
    [InlineData("8", "postgraduate degree")]
    public async Task An_education_level_is_Google_s_credential_category_with_the_ISCED_level_itself(string level, string category)
    {
        var requirements = await EducationRequirementsAsync(level);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""
            { "@type": "EducationalOccupationalCredential", "credentialCategory": "{{category}}",
              "educationalLevel": { "@type": "DefinedTerm", "termCode": "{{level}}", "name": "ISCED 2011 level {{level}}",
                "inDefinedTermSet": { "@type": "DefinedTermSet", "name": "ISCED 2011" } } }
            """), requirements), requirements?.ToJsonString());
    }

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public async Task Primary_and_lower_secondary_levels_carry_only_the_ISCED_level_not_a_higher_category(string level)
    {
        var requirements = await EducationRequirementsAsync(level);

        Assert.Null(requirements!["credentialCategory"]);
        Assert.Equal($"ISCED 2011 level {level}", requirements["educationalLevel"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task ISCED_level_0_is_no_requirements_as_Google_writes_it()
    {
        Assert.Equal("no requirements", (await EducationRequirementsAsync("0"))!.GetValue<string>());
    }

    private async Task<JsonNode?> EducationRequirementsAsync(string level)
    {
        var vacancy = new Vacancy { Country = "MEX", SourceId = "ED-" + level, Title = "Puesto", OccupationCode = "7112", ValidThrough = TestDates.Open, EducationLevel = level };
        await Client().PublishVacancyAsync(new PublishVacancyRequest { Vacancy = vacancy }, cancellationToken: Ct);
        var document = JsonNode.Parse(await Vacancies.CreateClient().GetStringAsync($"/api/v1/vacancies/MEX/ED-{level}.jsonld", Ct))!;
        return document["educationRequirements"];
    }

    [Fact]
    public async Task A_skill_alone_is_still_a_list_and_a_language_alone_is_a_defined_term()
    {
        var vacancy = new Vacancy { Country = "MEX", SourceId = "SK-1", Title = "Puesto", OccupationCode = "7112", ValidThrough = TestDates.Open, RequiredSkills = { "Soldadura" } };
        await Client().PublishVacancyAsync(new PublishVacancyRequest { Vacancy = vacancy }, cancellationToken: Ct);
        vacancy = new Vacancy { Country = "MEX", SourceId = "SK-2", Title = "Puesto", OccupationCode = "7112", ValidThrough = TestDates.Open, RequiredLanguages = { "pt-BR" } };
        await Client().PublishVacancyAsync(new PublishVacancyRequest { Vacancy = vacancy }, cancellationToken: Ct);

        var skill = JsonNode.Parse(await Vacancies.CreateClient().GetStringAsync("/api/v1/vacancies/MEX/SK-1.jsonld", Ct))!["skills"];
        var language = JsonNode.Parse(await Vacancies.CreateClient().GetStringAsync("/api/v1/vacancies/MEX/SK-2.jsonld", Ct))!["skills"];

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""["Soldadura"]"""), skill), skill?.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            [{ "@type": "DefinedTerm", "termCode": "pt-BR", "name": "Portuguese (Brazil)", "inDefinedTermSet": { "@type": "DefinedTermSet", "name": "BCP 47" } }]
            """), language), language?.ToJsonString());
    }

    [Fact]
    public async Task The_url_of_a_JobPosting_is_on_the_configured_public_address()
    {
        await using var behindProxy = new VacanciesInProcess(host => host.WithSetting("Lmis:PublicBaseUrl", "https://empleo.example.org/lmis/"));
        await behindProxy.InitializeAsync();
        await new VacanciesService.VacanciesServiceClient(behindProxy.Vacancies.GrpcChannel(TestCaller.Publisher("MEX")))
            .PublishVacancyAsync(new PublishVacancyRequest { Vacancy = Bricklayers("Obra 7/B") }, cancellationToken: Ct);

        var document = JsonNode.Parse(await behindProxy.Vacancies.CreateClient().GetStringAsync("/api/v1/vacancies/MX/Obra%207%2FB.jsonld", Ct))!;

        Assert.Equal("https://empleo.example.org/lmis/api/v1/vacancies/MEX/Obra%207%2FB.jsonld", document["url"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("lmis.example.org")]
    [InlineData("ftp://lmis.example.org")]
    [InlineData("https://lmis.example.org/?from=here")]
    public void A_public_address_that_is_not_an_absolute_web_address_stops_the_service_at_start(string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Lmis:PublicBaseUrl"] = value }).Build();

        var refusal = Assert.Throws<InvalidOperationException>(() => PublicAddresses.From(configuration));

        Assert.Contains("Lmis:PublicBaseUrl", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_JobPosting_still_answers_with_validThrough_when_it_closed()
    {
        await Client().PublishVacancyAsync(new PublishVacancyRequest { Vacancy = Bricklayers("JP-3") }, cancellationToken: Ct);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await Client().CloseVacancyAsync(new CloseVacancyRequest { Country = "MEX", SourceId = "JP-3", Reason = "filled" }, cancellationToken: Ct);

        using var response = await Vacancies.CreateClient().GetAsync("/api/v1/vacancies/MEX/JP-3.jsonld", Ct);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var validThrough = DateTimeOffset.Parse(document["validThrough"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(validThrough, before, DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Theory]
    [InlineData("/api/v1/vacancies/MEX/NOPE.jsonld")]
    [InlineData("/api/v1/vacancies/FRA/JP-1.jsonld")]
    public async Task A_JobPosting_of_no_vacancy_is_a_404_problem(string path)
    {
        using var response = await Vacancies.CreateClient().GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("application/ld+json")]
    [InlineData("application/json;q=0.5, application/ld+json")]
    public async Task Asking_the_vacancy_path_for_application_ld_json_gives_the_JobPosting(string accept)
    {
        await Client().PublishVacancyAsync(new PublishVacancyRequest { Vacancy = Bricklayers("JP-5") }, cancellationToken: Ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/vacancies/MEX/JP-5");
        request.Headers.TryAddWithoutValidation("Accept", accept);

        using var response = await Vacancies.CreateClient().SendAsync(request, Ct);
        var negotiated = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct));
        var direct = JsonNode.Parse(await Vacancies.CreateClient().GetStringAsync("/api/v1/vacancies/MEX/JP-5.jsonld", Ct));

        Assert.Equal("application/ld+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonNode.DeepEquals(direct, negotiated));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("application/json")]
    [InlineData("application/ld+json;q=0, application/json")]
    public async Task The_plain_JSON_of_a_vacancy_is_unchanged_beside_its_JobPosting(string? accept)
    {
        await Client().PublishVacancyAsync(new PublishVacancyRequest { Vacancy = Bricklayers("JP-4") }, cancellationToken: Ct);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/vacancies/MEX/JP-4");
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await Vacancies.CreateClient().SendAsync(request, Ct);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);

        Assert.Equal("JP-4", json["sourceId"]!.GetValue<string>());
        Assert.Null(json["@context"]);
    }
}
