using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Testing;

namespace Lmis.EndToEnd.Tests;

/// <summary>
/// A fresh install knows ISCO-08 to its unit groups with nothing imported: through the gateway, a ministry codes
/// vacancies and a statistics office codes figures with unit and minor groups, the SDMX occupation codelist lists
/// every group in English, Spanish and French, and the statistics views show the groups' titles. Other test classes
/// of this stack amend ISCO-08 with <see cref="IscoSample"/> (replacing those six groups' titles with its own): these
/// tests use only groups outside it, so what they find is the built-in edition.
/// </summary>
[Collection(DistributedStackCollection.Name)]
public sealed class FreshInstallOccupationsTests(DistributedStack stack)
{
    private static readonly TimeSpan EventDeadline = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static bool InSample(string code) => IscoSample.Concepts.Any(c => c.Code == code);

    [Fact]
    public async Task A_ministry_publishes_vacancies_coded_with_unit_groups_over_rest_and_grpc_and_finds_them_by_those_codes()
    {
        stack.RequireRunning();
        var publisher = await stack.PublisherKeyAsync("MEX");
        using var http = stack.Http(publisher);
        using var channel = stack.Grpc(publisher);
        var vacancies = new VacanciesService.VacanciesServiceClient(channel);
        var run = Guid.NewGuid().ToString("N")[..10];
        var (labourer, careAssistant, truckDriver) = ($"STPS-{run}-9211", $"STPS-{run}-5321", $"STPS-{run}-8332");
        Assert.DoesNotContain(new[] { "9211", "5321", "8332", "921", "532", "833" }, InSample);

        using var overRest = await http.PostAsJsonAsync("/api/v1/vacancies",
            new { country = "MEX", sourceId = labourer, title = "Peón agrícola (corte de caña)", language = "es", occupationCode = "9211", positions = 40 }, Ct);
        var restOutcome = await overRest.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var overGrpc = await vacancies.PublishVacancyAsync(new PublishVacancyRequest
        {
            Vacancy = new Vacancy { Country = "MEX", SourceId = careAssistant, Title = "Auxiliar de enfermería en residencia", Language = "es", OccupationCode = "5321", Positions = 3 },
        }, cancellationToken: Ct);
        PublishVacanciesResponse fed;
        using (var feed = vacancies.PublishVacancies(cancellationToken: Ct))
        {
            await feed.RequestStream.WriteAsync(new PublishVacancyRequest
            {
                Vacancy = new Vacancy { Country = "MEX", SourceId = truckDriver, Title = "Operador de tractocamión", Language = "es", OccupationCode = "8332", Positions = 5 },
            }, Ct);
            await feed.RequestStream.CompleteAsync();
            fed = await feed;
        }

        Assert.True(overRest.IsSuccessStatusCode, restOutcome + stack.Output());
        Assert.Equal("PUBLISH_OUTCOME_CREATED", restOutcome.GetProperty("outcome").GetString());
        Assert.Equal(PublishOutcome.Created, overGrpc.Outcome);
        Assert.Equal((1, 1, 0), (fed.Received, fed.Created, fed.Rejected));

        // Found by their unit group over REST and gRPC, and by the minor group above it.
        var byUnitGroup = await http.GetFromJsonAsync<JsonElement>("/api/v1/vacancies?country=MEX&occupation=9211&pageSize=200", Ct);
        var byGrpc = await vacancies.SearchVacanciesAsync(new SearchVacanciesRequest { Country = "MEX", Occupation = "5321", PageSize = 200 }, cancellationToken: Ct);
        var byMinorGroup = await vacancies.SearchVacanciesAsync(new SearchVacanciesRequest { Country = "MEX", Occupation = "833", PageSize = 200 }, cancellationToken: Ct);
        Assert.Contains(labourer, byUnitGroup.GetProperty("vacancies").EnumerateArray().Select(v => v.GetProperty("sourceId").GetString()));
        Assert.All(byUnitGroup.GetProperty("vacancies").EnumerateArray(), v => Assert.Equal("9211", v.GetProperty("occupationCode").GetString()));
        Assert.Contains(careAssistant, byGrpc.Vacancies.Select(v => v.SourceId));
        Assert.All(byGrpc.Vacancies, v => Assert.Equal("5321", v.OccupationCode));
        Assert.Contains(truckDriver, byMinorGroup.Vacancies.Select(v => v.SourceId));

        // Their events reach the statistics service, whose figures show the unit groups with their titles.
        using var statistics = stack.Http();
        var titled = await EventuallyAsync(
            async () => (await statistics.GetFromJsonAsync<JsonElement>("/api/v1/statistics/vacancy-figures?country=MEX&level=unit&language=es", Ct))
                .GetProperty("figures").EnumerateArray()
                .Where(f => f.GetProperty("openVacancies").GetInt32() > 0)
                .ToDictionary(f => f.GetProperty("occupationGroup").GetString()!, f => f.GetProperty("occupationTitle").GetString()!),
            t => new[] { "9211", "5321", "8332" }.All(t.ContainsKey));
        Assert.Equal(
            [("5321", "Trabajadores de los cuidados personales en instituciones"), ("8332", "Conductores de camiones pesados"), ("9211", "Peones de explotaciones agrícolas")],
            new[] { "5321", "8332", "9211" }.Select(code => (code, titled.GetValueOrDefault(code))));
    }

    [Fact]
    public async Task A_statistics_office_uploads_figures_for_a_unit_group_and_a_minor_group_and_reads_them_back_with_their_titles()
    {
        stack.RequireRunning();
        // 1987: a year no other test of the stack writes.
        const string csv = """
            DATAFLOW,REF_AREA,FREQ,OCU,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,NOTE
            RCM:DF_VAC_OCU(1.0),MEX,A,OCU_ISCO08_5321,1987,1250,NB,0,A,
            RCM:DF_VAC_OCU(1.0),MEX,A,OCU_ISCO08_532,1987,1720,NB,0,A,
            """;
        using var publisher = stack.Http(await stack.PublisherKeyAsync("MEX"));
        using var reader = stack.Http();

        using var upload = await publisher.PostAsync("/sdmx/data", new StringContent(csv, Encoding.UTF8, "text/csv"), Ct);
        var answer = await upload.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var stored = await reader.GetStringAsync("/sdmx/data/DF_VAC_OCU/MEX.A.OCU_ISCO08_5321+OCU_ISCO08_532?startPeriod=1987&endPeriod=1987&format=csv", Ct);
        var shortages = await reader.GetFromJsonAsync<JsonElement>("/api/v1/statistics/shortages?period=1987&country=MEX&language=fr", Ct);

        Assert.True(upload.StatusCode == HttpStatusCode.OK, answer + stack.Output());
        Assert.Equal((2, 0), (answer.GetProperty("received").GetInt32(), answer.GetProperty("rejected").GetInt32()));
        var rows = stored.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')).ToArray();
        var (ocu, value) = (Array.IndexOf(rows[0], "OCU"), Array.IndexOf(rows[0], "OBS_VALUE"));
        Assert.Equal(
            [("OCU_ISCO08_532", 1720m), ("OCU_ISCO08_5321", 1250m)],
            rows.Skip(1).Select(r => (r[ocu], decimal.Parse(r[value], CultureInfo.InvariantCulture))).OrderBy(r => r.Item1, StringComparer.Ordinal));
        // Vacancies without jobseekers flag nothing, but the view names each occupation, here in French.
        Assert.Equal(
            [("532", "Aides-soignants", 1720m), ("5321", "Aides-soignants en institution", 1250m)],
            shortages.GetProperty("occupations").EnumerateArray().Select(o => (o.GetProperty("occupation").GetString(),
                o.GetProperty("occupationTitle").GetString(), o.GetProperty("vacancies").GetDecimal())));
    }

    [Fact]
    public async Task The_sdmx_occupation_codelist_lists_every_isco08_group_in_english_spanish_and_french()
    {
        stack.RequireRunning();
        using var http = stack.Http();
        using var response = await http.GetAsync("/sdmx/codelist/RCM/CL_OCU/latest", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, string.Concat(body.Take(600)) + stack.Output());

        const string Prefix = "OCU_ISCO08_";
        var codes = XDocument.Parse(body).Descendants().Where(e => e.Name.LocalName == "Code")
            .ToDictionary(
                c => (string)c.Attribute("id")!,
                c => c.Elements().Where(n => n.Name.LocalName == "Name")
                    .ToDictionary(n => (string)n.Attribute(XNamespace.Xml + "lang")!, n => n.Value, StringComparer.Ordinal));
        var groups = codes.Keys.Where(id => id.StartsWith(Prefix, StringComparison.Ordinal) && id[Prefix.Length..].All(char.IsAsciiDigit))
            .Select(id => id[Prefix.Length..]).ToArray();

        // ISCO-08: 10 major, 43 sub-major, 130 minor and 436 unit groups; beside them only the codelist's totals.
        Assert.Equal([(1, 10), (2, 43), (3, 130), (4, 436)], groups.GroupBy(g => g.Length).OrderBy(g => g.Key).Select(g => (g.Key, g.Count())));
        Assert.Contains(Prefix + "TOTAL", codes.Keys);
        Assert.All(codes.Keys.Except(groups.Select(g => Prefix + g)), id => Assert.StartsWith(Prefix, id, StringComparison.Ordinal));
        if (Repository.SharedData("isco08", "isco08_structure_en.csv") is { } reference)
        {
            // The ILO's structure, tabulated by others: the same 619 codes.
            var published = File.ReadLines(reference).Skip(1).Select(l => l.Split(',')[0]).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(published.Order(StringComparer.Ordinal), groups.Order(StringComparer.Ordinal));
        }

        Assert.All(groups.Where(g => !InSample(g)), g => Assert.True(
            new[] { "en", "es", "fr" }.All(l => codes[Prefix + g].GetValueOrDefault(l) is { Length: > 0 }),
            $"{g}: {string.Join(", ", codes[Prefix + g].Select(n => n.Key + "=" + n.Value))}"));
        Assert.Equal("Albañiles", codes[Prefix + "7112"]["es"]);
        Assert.Equal(("Peones de explotaciones agrícolas", "Manœuvres de l'agriculture"), (codes[Prefix + "9211"]["es"], codes[Prefix + "9211"]["fr"]));
        Assert.Equal(("Conductores de camiones pesados", "Conducteurs de poids lourds et de camions"), (codes[Prefix + "8332"]["es"], codes[Prefix + "8332"]["fr"]));
    }

    [Fact]
    public async Task Occupation_search_answers_through_the_gateway_in_the_language_asked()
    {
        stack.RequireRunning();

        using var http = stack.Http();

        var found = await http.GetFromJsonAsync<JsonElement>("/api/v1/taxonomy/occupations?q=albañ&language=es", Ct);

        var hits = found.GetProperty("hits").EnumerateArray().ToArray();
        Assert.NotEmpty(hits);
        Assert.Contains(hits, h => h.GetProperty("iscoCode").GetString() == "7112" && h.GetProperty("iscoTitle").GetString() == "Albañiles");
        Assert.All(hits, h => Assert.Equal("es", h.GetProperty("matchedLanguage").GetString()));
        Assert.All(hits, h => Assert.Contains("albañ", h.GetProperty("matchedTitle").GetString()!, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Asks until the answer is as expected or the events' deadline passes; returns the last answer.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> ask, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + EventDeadline;
        var answer = await ask();
        while (!done(answer) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250, Ct);
            answer = await ask();
        }

        return answer;
    }
}
