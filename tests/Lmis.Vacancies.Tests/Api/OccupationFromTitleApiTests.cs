using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Testing;
using Lmis.Vacancies.Grpc;
using Lmis.Vacancies.Taxonomy;
using Microsoft.Extensions.DependencyInjection;

namespace Lmis.Vacancies.Tests.Api;

/// <summary>
/// Machine coding and the title check as publishers meet them: over gRPC (one vacancy, a stream), REST JSON and CSV,
/// with codes checked by the real taxonomy service and job titles read by <see cref="TitleReadingTaxonomy"/>.
/// </summary>
public sealed class OccupationFromTitleApiTests : IAsyncLifetime
{
    private readonly VacanciesInProcess _service = new(vacancies => vacancies.WithServices(services =>
    {
        services.AddSingleton(sp => new TitleReadingTaxonomy(ActivatorUtilities.CreateInstance<TaxonomyLookups>(sp), TitleReadingTaxonomy.Readings));
        services.AddSingleton<ITaxonomyLookups>(sp => sp.GetRequiredService<TitleReadingTaxonomy>());
    }));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ServiceHost<VacanciesGrpcService> Vacancies => _service.Vacancies;

    private TitleReadingTaxonomy Titles => Vacancies.Services.GetRequiredService<TitleReadingTaxonomy>();

    public ValueTask InitializeAsync() => _service.InitializeAsync();

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    private VacanciesService.VacanciesServiceClient Client() => new(Vacancies.GrpcChannel(TestCaller.Publisher("GTM")));

    private static Vacancy Vacancy(string sourceId, string title, string occupation = "", bool suggest = false) => new()
    {
        Country = "GTM",
        SourceId = sourceId,
        Title = title,
        Language = "es",
        OccupationCode = occupation,
        SuggestOccupationCode = suggest,
        DatePosted = "2026-11-01",
        ValidThrough = TestDates.Open,
    };

    private Task<PublishVacancyResponse> PublishAsync(Vacancy vacancy) =>
        Client().PublishVacancyAsync(new PublishVacancyRequest { Vacancy = vacancy }, cancellationToken: Ct).ResponseAsync;

    private Task<Vacancy> GetAsync(string sourceId) =>
        Client().GetVacancyAsync(new GetVacancyRequest { Country = "GTM", SourceId = sourceId }, cancellationToken: Ct).ResponseAsync;

    [Fact]
    public async Task A_vacancy_coded_by_machine_over_grpc_is_stored_with_the_suggested_code_marked_machine_and_stays_unchanged_when_sent_again()
    {
        var first = await PublishAsync(Vacancy("M-1", "Albañil", suggest: true));
        var again = await PublishAsync(Vacancy("M-1", "Albañil", suggest: true));
        var stored = await GetAsync("M-1");

        Assert.Equal(PublishOutcome.Created, first.Outcome);
        var warning = Assert.Single(first.Warnings);
        Assert.Equal(("occupation_code", "7112"), (warning.Field, warning.Value));
        Assert.StartsWith("coded by machine from the title as 7112 Bricklayers and related workers (score 0.82", warning.Reason, StringComparison.Ordinal);
        Assert.Equal(("7112", "machine", 1), (stored.OccupationCode, stored.OccupationCoding, stored.Version));
        Assert.Equal((PublishOutcome.Unchanged, 1), (again.Outcome, again.Version));
        Assert.Equal(first.Warnings, again.Warnings);
    }

    [Fact]
    public async Task A_code_the_title_reads_otherwise_is_stored_as_given_with_a_warning_and_an_agreeing_one_without()
    {
        var disagreeing = await PublishAsync(Vacancy("D-1", "Enfermera", occupation: "7112"));
        var agreeing = await PublishAsync(Vacancy("D-2", "Albañil", occupation: "7112"));
        var resent = await PublishAsync(Vacancy("D-2", "Albañil", occupation: "7112"));
        var stored = await GetAsync("D-1");

        var warning = Assert.Single(disagreeing.Warnings);
        Assert.Equal(("occupation_code", "7112"), (warning.Field, warning.Value));
        Assert.Equal("the title reads as 2221 Nursing professionals (score 0.9, matched 'enfermera'), not 7112; check the code", warning.Reason);
        Assert.Equal(("7112", "publisher"), (stored.OccupationCode, stored.OccupationCoding));
        Assert.Empty(agreeing.Warnings);
        Assert.Equal(PublishOutcome.Unchanged, resent.Outcome);
    }

    [Fact]
    public async Task Machine_coding_below_the_threshold_is_refused_on_occupation_code_and_nothing_is_stored()
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() => PublishAsync(Vacancy("W-1", "Ayudante", suggest: true)));
        var missing = await Assert.ThrowsAsync<RpcException>(() => GetAsync("W-1"));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        var error = Assert.Single(Refusals.FieldErrors(refused));
        Assert.Equal("occupation_code", error.Field);
        Assert.Contains("9313 Building construction labourers (score 0.31", error.Reason, StringComparison.Ordinal);
        Assert.Contains("below the 0.5 required", error.Reason, StringComparison.Ordinal);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Over_rest_json_a_vacancy_is_coded_by_machine_on_request_and_the_warning_is_in_the_answer()
    {
        var http = Vacancies.CreateClient(TestCaller.Publisher("GTM"));

        using var response = await http.PostAsJsonAsync("/api/v1/vacancies", new
        {
            country = "GTM",
            sourceId = "R-1",
            title = "Enfermera",
            language = "es",
            suggestOccupationCode = true,
            datePosted = "2026-11-01",
            validThrough = TestDates.Open,
        }, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var stored = await http.GetFromJsonAsync<JsonElement>("/api/v1/vacancies/GTM/R-1", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var warning = Assert.Single(body.GetProperty("warnings").EnumerateArray());
        Assert.Equal(("occupation_code", "2221"), (warning.GetProperty("field").GetString(), warning.GetProperty("value").GetString()));
        Assert.StartsWith("coded by machine from the title as 2221", warning.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(("2221", "machine"), (stored.GetProperty("occupationCode").GetString(), stored.GetProperty("occupationCoding").GetString()));
    }

    [Fact]
    public async Task A_streamed_feed_gives_each_accepted_item_its_warnings_and_each_refused_one_its_errors()
    {
        using var call = Client().PublishVacancies(cancellationToken: Ct);
        foreach (var vacancy in new[]
        {
            Vacancy("S-1", "Enfermera", occupation: "7112"),
            Vacancy("S-2", "Albañil", suggest: true),
            Vacancy("S-3", "Ayudante", suggest: true),
            Vacancy("S-4", "Albañil", occupation: "7112"),
        })
        {
            await call.RequestStream.WriteAsync(new PublishVacancyRequest { Vacancy = vacancy }, Ct);
        }

        await call.RequestStream.CompleteAsync();
        var response = await call;

        Assert.Equal([PublishOutcome.Created, PublishOutcome.Created, PublishOutcome.Rejected, PublishOutcome.Created], response.Results.Select(r => r.Outcome));
        Assert.Equal([("occupation_code", "7112")], response.Results[0].Warnings.Select(w => (w.Field, w.Value)));
        Assert.Contains("not 7112; check the code", response.Results[0].Warnings[0].Reason, StringComparison.Ordinal);
        Assert.StartsWith("coded by machine", Assert.Single(response.Results[1].Warnings).Reason, StringComparison.Ordinal);
        Assert.Empty(response.Results[2].Warnings);
        Assert.Equal("occupation_code", Assert.Single(response.Results[2].Errors).Field);
        Assert.Empty(response.Results[3].Warnings);
        Assert.Equal("machine", (await GetAsync("S-2")).OccupationCoding);
    }

    [Fact]
    public async Task A_csv_feed_may_ask_for_machine_coding_per_row_and_its_answer_lists_each_rows_warnings()
    {
        const string csv = """
            country,source_id,title,occupation_code,suggest_occupation_code
            GTM,C-1,Albañil,,true
            GTM,C-2,Ayudante,,true
            GTM,C-3,Enfermera,7112,
            GTM,C-4,Albañil,7112,false
            GTM,C-5,Albañil,,false
            """;

        using var response = await Vacancies.CreateClient(TestCaller.Publisher("GTM")).PostAsync("/api/v1/vacancies:csv", new StringContent(csv, Encoding.UTF8, "text/csv"), Ct);
        var results = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("results").EnumerateArray().ToArray();
        string[] Fields(JsonElement result, string list) => [.. result.GetProperty(list).EnumerateArray().Select(e => e.GetProperty("field").GetString()!)];

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["PUBLISH_OUTCOME_CREATED", "PUBLISH_OUTCOME_REJECTED", "PUBLISH_OUTCOME_CREATED", "PUBLISH_OUTCOME_CREATED", "PUBLISH_OUTCOME_REJECTED"],
            results.Select(r => r.GetProperty("outcome").GetString()));
        Assert.Equal(["occupation_code"], Fields(results[0], "warnings"));
        Assert.Equal("7112", results[0].GetProperty("warnings")[0].GetProperty("value").GetString());
        Assert.Equal(["occupation_code"], Fields(results[1], "errors"));
        Assert.Contains("score 0.31", results[1].GetProperty("errors")[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(["occupation_code"], Fields(results[2], "warnings"));
        Assert.Empty(Fields(results[3], "warnings"));
        Assert.Equal(["occupation_code"], Fields(results[4], "errors"));
        Assert.Equal(("7112", "machine"), ((await GetAsync("C-1")).OccupationCode, (await GetAsync("C-1")).OccupationCoding));
    }

    [Fact]
    public async Task When_the_taxonomy_cannot_read_titles_coded_vacancies_are_published_without_warning_and_machine_coding_is_refused_with_the_reason()
    {
        Titles.Down = true;

        var coded = await PublishAsync(Vacancy("U-1", "Enfermera", occupation: "7112"));
        var refused = await Assert.ThrowsAsync<RpcException>(() => PublishAsync(Vacancy("U-2", "Albañil", suggest: true)));

        Assert.Equal(PublishOutcome.Created, coded.Outcome);
        Assert.Empty(coded.Warnings);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        var error = Assert.Single(Refusals.FieldErrors(refused));
        Assert.Equal("occupation_code", error.Field);
        Assert.Contains("the taxonomy cannot suggest ISCO-08 codes now", error.Reason, StringComparison.Ordinal);
    }
}
