using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lmis.Contracts.Events;
using Lmis.Contracts.Statistics.V1;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Statistics.Tests.Storage;
using Lmis.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Lmis.Statistics.Tests.Api;

/// <summary>
/// Where the statistics views show an ISCO-08 code (labour shortages, complementarity, vacancy figures and counts),
/// they show its title too, in the language the caller asks for (en by default, es, fr), as the taxonomy has it —
/// for every group of the built-in edition, not only those a test imported — and the vacancy figures group at every
/// ISCO-08 level.
/// </summary>
public sealed class OccupationTitlesTests : IAsyncLifetime
{
    private readonly StatisticsInProcess _service = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _service.InitializeAsync();

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    /// <summary>The group's title in a language as the taxonomy itself answers it.</summary>
    private async Task<string> TaxonomyTitleAsync(string code, string language)
    {
        var concept = await new TaxonomyService.TaxonomyServiceClient(_service.Taxonomy.GrpcChannel(TestCaller.Secretariat))
            .GetConceptAsync(new GetConceptRequest { Scheme = "isco08", Code = code }, cancellationToken: Ct);
        return concept.Labels[language];
    }

    private async Task UploadShortageFiguresAsync()
    {
        // Health care assistants (5321) short in Mexico, plentiful in Guatemala; crop farm labourers (9211) the other way.
        const string vacancies = "DATAFLOW,REF_AREA,FREQ,OCU,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,NOTE\n";
        const string jobseekers = "DATAFLOW,REF_AREA,FREQ,SEX,OCU,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,NOTE\n";
        foreach (var (country, csv) in new[]
        {
            ("MEX", vacancies + "RCM:DF_VAC_OCU(1.0),MEX,A,OCU_ISCO08_5321,2025,400,NB,0,A,\nRCM:DF_VAC_OCU(1.0),MEX,A,OCU_ISCO08_9211,2025,20,NB,0,A,\n"),
            ("MEX", jobseekers + "RCM:DF_JSK_OCU(1.0),MEX,A,SEX_T,OCU_ISCO08_5321,2025,100,PS,0,A,\nRCM:DF_JSK_OCU(1.0),MEX,A,SEX_T,OCU_ISCO08_9211,2025,500,PS,0,A,\n"),
            ("GTM", vacancies + "RCM:DF_VAC_OCU(1.0),GTM,A,OCU_ISCO08_5321,2025,10,NB,0,A,\nRCM:DF_VAC_OCU(1.0),GTM,A,OCU_ISCO08_9211,2025,300,NB,0,A,\n"),
            ("GTM", jobseekers + "RCM:DF_JSK_OCU(1.0),GTM,A,SEX_T,OCU_ISCO08_5321,2025,200,PS,0,A,\nRCM:DF_JSK_OCU(1.0),GTM,A,SEX_T,OCU_ISCO08_9211,2025,100,PS,0,A,\n"),
        })
        {
            var (status, body) = await _service.UploadAsync(country, csv);
            Assert.True(status == HttpStatusCode.OK && body?.GetProperty("rejected").GetInt32() == 0, body?.ToString());
        }
    }

    /// <summary>A pathway for Guatemalan health care workers in Mexico, named in English and Spanish only.</summary>
    private async Task ImportCareWorkerPathwayAsync()
    {
        var pathway = new ConceptInput { Code = "gtm-mex-care", Labels = { ["en"] = "Care worker programme", ["es"] = "Programa de trabajadores de cuidados" } };
        foreach (var (name, value) in new[]
        {
            ("type", "bilateral_agreement"), ("origin", "GTM"), ("destination", "MEX"), ("occupation", "532"),
            ("valid_from", "2020-01-01"), ("status", "in_force"), ("source_document", "Memorandum of understanding"),
        })
        {
            pathway.Attributes.Add(new Contracts.Taxonomy.V1.Attribute { Name = name, Value = value });
        }

        await new TaxonomyService.TaxonomyServiceClient(_service.Taxonomy.GrpcChannel(TestCaller.Secretariat))
            .ImportSchemeVersionAsync(new ImportSchemeVersionRequest { Scheme = "pathways", Concepts = { pathway } }, cancellationToken: Ct);
    }

    [Fact]
    public async Task Shortages_and_complementarity_show_each_occupation_with_its_isco_title_in_the_language_asked_english_by_default()
    {
        await UploadShortageFiguresAsync();
        await ImportCareWorkerPathwayAsync();
        var http = _service.Statistics.CreateClient();
        var pathwayNames = new Dictionary<string, string>
        {
            ["en"] = "Care worker programme",
            ["es"] = "Programa de trabajadores de cuidados",
            ["fr"] = "Care worker programme",
            [string.Empty] = "Care worker programme",
        };

        foreach (var language in new[] { "en", "es", "fr", string.Empty })
        {
            var query = language.Length > 0 ? "&language=" + language : string.Empty;
            var shortages = await http.GetFromJsonAsync<JsonElement>("/api/v1/statistics/shortages?period=2025" + query, Ct);
            var complementarity = await http.GetFromJsonAsync<JsonElement>("/api/v1/statistics/complementarity?period=2025" + query, Ct);
            var shownIn = language.Length > 0 ? language : "en";
            var (assistants, labourers) = (await TaxonomyTitleAsync("5321", shownIn), await TaxonomyTitleAsync("9211", shownIn));

            Assert.Equal(
                [("GTM", "5321", assistants), ("GTM", "9211", labourers), ("MEX", "5321", assistants), ("MEX", "9211", labourers)],
                shortages.GetProperty("occupations").EnumerateArray().Select(o =>
                    (o.GetProperty("country").GetString(), o.GetProperty("occupation").GetString(), o.GetProperty("occupationTitle").GetString())));
            Assert.Equal(shownIn, shortages.GetProperty("language").GetString());
            var pairs = complementarity.GetProperty("pairs").EnumerateArray().OrderBy(p => p.GetProperty("occupation").GetString(), StringComparer.Ordinal).ToArray();
            Assert.Equal(
                [("5321", assistants, "MEX"), ("9211", labourers, "GTM")],
                pairs.Select(p => (p.GetProperty("occupation").GetString(), p.GetProperty("occupationTitle").GetString(), p.GetProperty("inShortage").GetProperty("country").GetString())));
            // The pathway named in the language asked where it has a name in it, else in English.
            Assert.Equal(pathwayNames[language], Assert.Single(pairs[0].GetProperty("pathways").EnumerateArray()).GetProperty("name").GetString());
        }

        // The three languages are three different titles, not English three times.
        string[] titles = [await TaxonomyTitleAsync("5321", "en"), await TaxonomyTitleAsync("5321", "es"), await TaxonomyTitleAsync("5321", "fr")];
        Assert.Equal(3, titles.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task A_language_no_title_is_kept_in_is_refused_beside_the_other_problems_of_the_query()
    {
        var http = _service.Statistics.CreateClient();

        using var shortages = await http.GetAsync("/api/v1/statistics/shortages?period=2025-Q5&language=de", Ct);
        using var corridors = await http.GetAsync("/api/v1/statistics/corridors?period=2025&language=pt", Ct);
        using var figures = await http.GetAsync("/api/v1/statistics/vacancy-figures?level=unit&language=it", Ct);
        using var counts = await http.GetAsync("/api/v1/statistics/vacancy-counts?language=zh", Ct);

        Assert.Equal(
            [("language", "de"), ("period", "2025-Q5")],
            Refusals.ProblemErrors(await shortages.Content.ReadFromJsonAsync<JsonElement>(Ct)).Select(e => (e.Field, e.Value)).Order());
        foreach (var (refused, language) in new[] { (corridors, "pt"), (figures, "it"), (counts, "zh") })
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var error = Assert.Single(Refusals.ProblemErrors(await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)));
            Assert.Equal(("language", language), (error.Field, error.Value));
            Assert.StartsWith("en, es or fr", error.Reason, StringComparison.Ordinal);
        }
    }

    private async Task PublishAsync(params VacancySnapshot[] vacancies)
    {
        var bus = _service.Statistics.Services.GetRequiredService<IBus>();
        foreach (var vacancy in vacancies)
        {
            var published = new VacancyPublished(Guid.NewGuid(), DateTimeOffset.UtcNow, vacancy);
            await bus.Publish(published, context => context.MessageId = published.EventId, Ct);
        }
    }

    /// <summary>Asks until the answer is as expected (the events have been applied) or 15 s have passed; returns the last answer.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> ask, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        var answer = await ask();
        while (!done(answer) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, Ct);
            answer = await ask();
        }

        return answer;
    }

    private Task<GetVacancyFiguresResponse> FiguresAsync(string level, string language, int expectedVacancies)
    {
        var statistics = new StatisticsService.StatisticsServiceClient(_service.Statistics.GrpcChannel());
        return EventuallyAsync(
            async () => await statistics.GetVacancyFiguresAsync(new GetVacancyFiguresRequest { Country = "HND", Level = level, Language = language }, cancellationToken: Ct),
            figures => figures.Figures.Sum(f => f.OpenVacancies) >= expectedVacancies);
    }

    [Fact]
    public async Task Vacancy_figures_group_at_minor_and_unit_group_level_each_group_with_its_title()
    {
        _ = _service.Statistics.Server;
        await PublishAsync(
            VacancyFigureStoreConformance.Snapshot(Guid.NewGuid(), "HND", "5321", 2, 1),
            VacancyFigureStoreConformance.Snapshot(Guid.NewGuid(), "HND", "5322", 1, 1),
            VacancyFigureStoreConformance.Snapshot(Guid.NewGuid(), "HND", "9211", 7, 1),
            // Coded no finer than its sub-major group: at the finer levels it stays in a group of its own.
            VacancyFigureStoreConformance.Snapshot(Guid.NewGuid(), "HND", "53", 1, 1));

        var unit = await FiguresAsync("unit", "fr", 4);
        var minor = await FiguresAsync("minor", "es", 4);
        var major = await FiguresAsync(string.Empty, string.Empty, 4);

        Assert.Equal(
            [("53", 1, 1, await TaxonomyTitleAsync("53", "fr")), ("5321", 1, 2, await TaxonomyTitleAsync("5321", "fr")),
                ("5322", 1, 1, await TaxonomyTitleAsync("5322", "fr")), ("9211", 1, 7, await TaxonomyTitleAsync("9211", "fr"))],
            unit.Figures.Select(f => (f.OccupationGroup, f.OpenVacancies, f.OpenPositions, f.OccupationTitle)));
        Assert.Equal(
            [("53", 1, 1, await TaxonomyTitleAsync("53", "es")), ("532", 2, 3, await TaxonomyTitleAsync("532", "es")), ("921", 1, 7, await TaxonomyTitleAsync("921", "es"))],
            minor.Figures.Select(f => (f.OccupationGroup, f.OpenVacancies, f.OpenPositions, f.OccupationTitle)));
        Assert.Equal(
            [("5", 3, 4, await TaxonomyTitleAsync("5", "en")), ("9", 1, 7, await TaxonomyTitleAsync("9", "en"))],
            major.Figures.Select(f => (f.OccupationGroup, f.OpenVacancies, f.OpenPositions, f.OccupationTitle)));
    }

    [Fact]
    public async Task Vacancy_counts_name_each_major_group_in_the_language_asked()
    {
        _ = _service.Statistics.Server;
        await PublishAsync(
            VacancyFigureStoreConformance.Snapshot(Guid.NewGuid(), "BLZ", "8332", 2, 1),
            VacancyFigureStoreConformance.Snapshot(Guid.NewGuid(), "BLZ", "9211", 1, 1));
        var http = _service.Statistics.CreateClient();

        var counts = await EventuallyAsync(
            () => http.GetFromJsonAsync<JsonElement>("/api/v1/statistics/vacancy-counts?country=BLZ&language=es", Ct),
            c => c.GetProperty("totalOpenVacancies").GetInt32() >= 2);

        Assert.Equal(
            [("8", await TaxonomyTitleAsync("8", "es")), ("9", await TaxonomyTitleAsync("9", "es"))],
            counts.GetProperty("counts").EnumerateArray().Select(c => (c.GetProperty("occupationMajorGroup").GetString(), c.GetProperty("occupationMajorGroupTitle").GetString())));
    }
}
