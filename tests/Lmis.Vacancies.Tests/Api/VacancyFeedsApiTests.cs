using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Lmis.Contracts.Events;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Taxonomy.Grpc;
using Lmis.Testing;
using Lmis.Vacancies.Grpc;
using Lmis.Vacancies.Tests.Testing;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Lmis.Vacancies.Tests.Api;

/// <summary>Whole feeds (gRPC stream, CSV), closing, searching and the change feed, in process.</summary>
public sealed class VacancyFeedsApiTests : IAsyncLifetime
{
    private readonly VacanciesInProcess _service = new(vacancies => vacancies.WithServices(services => services.AddMassTransitTestHarness(bus => bus.SetTestTimeouts(testInactivityTimeout: VacanciesApiTests.EventWait))));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ServiceHost<VacanciesGrpcService> Vacancies => _service.Vacancies;

    public ValueTask InitializeAsync() => _service.InitializeAsync();

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    /// <summary>A client of the ministry of <paramref name="country"/>.</summary>
    private VacanciesService.VacanciesServiceClient Client(string country = "GTM") => new(Vacancies.GrpcChannel(TestCaller.Publisher(country)));

    private static Vacancy Vacancy(string sourceId, string occupation = "7112", string country = "GTM", int positions = 1) => new()
    {
        Country = country,
        SourceId = sourceId,
        Title = "Albañil para obra en Mixco",
        Description = "Construcción de vivienda; se requiere experiencia.",
        Language = "es",
        OccupationCode = occupation,
        Positions = positions,
        DatePosted = "2026-11-01",
        ValidThrough = TestDates.Open,
    };

    [Fact]
    public async Task A_streamed_feed_stores_the_good_items_reports_the_bad_ones_and_changes_nothing_when_sent_again()
    {
        async Task<PublishVacanciesResponse> SendAsync()
        {
            using var call = Client().PublishVacancies(cancellationToken: Ct);
            await call.RequestStream.WriteAsync(new PublishVacancyRequest { Vacancy = Vacancy("F-1") }, Ct);
            await call.RequestStream.WriteAsync(new PublishVacancyRequest { Vacancy = Vacancy("F-2", occupation: "9999") }, Ct);
            await call.RequestStream.WriteAsync(new PublishVacancyRequest { Vacancy = Vacancy("F-3", occupation: "2221", positions: 4) }, Ct);
            await call.RequestStream.WriteAsync(new PublishVacancyRequest(), Ct);
            await call.RequestStream.CompleteAsync();
            return await call;
        }

        var first = await SendAsync();
        var second = await SendAsync();

        Assert.Equal((4, 2, 0, 2), (first.Received, first.Created, first.Unchanged, first.Rejected));
        Assert.Equal([PublishOutcome.Created, PublishOutcome.Rejected, PublishOutcome.Created, PublishOutcome.Rejected], first.Results.Select(r => r.Outcome));
        Assert.Equal(("occupation_code", "9999"), (first.Results[1].Errors[0].Field, first.Results[1].Errors[0].Value));
        Assert.Equal((0, 2, 2), (second.Created, second.Unchanged, second.Rejected));
        var harness = Vacancies.Services.GetTestHarness();
        Assert.True(await PublishedVacancyEvents.AnyAsync<VacancyPublished>(harness, e => e.Vacancy.SourceId == "F-3", Ct));
        await Task.Delay(300, Ct);
        Assert.Equal(2, PublishedVacancyEvents.Of<VacancyPublished>(harness, Ct).Count());
    }

    [Fact]
    public async Task A_feeds_events_go_out_in_bundles_each_vacancy_once()
    {
        using var call = Client().PublishVacancies(cancellationToken: Ct);
        for (var i = 0; i < 450; i++)
        {
            await call.RequestStream.WriteAsync(new PublishVacancyRequest { Vacancy = Vacancy($"BUNDLE-{i}") }, Ct);
        }

        await call.RequestStream.CompleteAsync();
        Assert.Equal(450, (await call).Created);
        var harness = Vacancies.Services.GetTestHarness();
        Assert.True(await PublishedVacancyEvents.AnyAsync<VacancyPublished>(harness, e => e.Vacancy.SourceId == "BUNDLE-449", Ct));

        var bundles = harness.Published.Select<VacancyEventBundle>(Ct).Select(m => m.Context.Message)
            .Where(b => b.Published.Any(e => e.Vacancy.SourceId.StartsWith("BUNDLE-", StringComparison.Ordinal))).ToArray();
        var events = bundles.SelectMany(b => b.Published).Where(e => e.Vacancy.SourceId.StartsWith("BUNDLE-", StringComparison.Ordinal)).ToArray();
        Assert.Equal(450, events.Select(e => e.Vacancy.SourceId).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(450, events.Select(e => e.EventId).Distinct().Count());
        // A few bundles (the dispatcher takes what the outbox holds, up to 1,000 at a time), not 450 messages.
        Assert.InRange(bundles.Length, 1, 20);
        Assert.DoesNotContain(harness.Published.Select<VacancyPublished>(Ct), m => m.Context.Message.Vacancy.SourceId.StartsWith("BUNDLE-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_csv_feed_is_published_row_by_row_with_line_numbers()
    {
        const string csv = """
            country,source_id,title,occupation_code,positions,wage_min,wage_max,wage_currency,wage_period,foreign_workers_eligible,eligible_origin_countries,status
            HN,C-1,Albañil,7112,3,9000,12000,HNL,month,true,GTM;NIC,
            HN,C-2,"Enfermera, turno noche",2221,1,,,,,false,,
            HN,C-3,Cocinero,9999,1,,,,,,,
            HN,C-4,Albañil,7112,2,5000,3000,HNL,month,,,
            HN,C-2,"Enfermera, turno noche",2221,1,,,,,false,,filled
            """;

        using var response = await Vacancies.CreateClient(TestCaller.Publisher("HND")).PostAsync("/api/v1/vacancies:csv", new StringContent(csv, Encoding.UTF8, "text/csv"), Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var results = body.GetProperty("results").EnumerateArray().ToArray();
        var nurse = await Client().GetVacancyAsync(new GetVacancyRequest { Country = "HND", SourceId = "C-2" }, cancellationToken: Ct);
        var bricklayer = await Client().GetVacancyAsync(new GetVacancyRequest { Country = "HND", SourceId = "C-1" }, cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([2, 3, 4, 5, 6], results.Select(r => r.GetProperty("index").GetInt32()));
        Assert.Equal(["PUBLISH_OUTCOME_CREATED", "PUBLISH_OUTCOME_CREATED", "PUBLISH_OUTCOME_REJECTED", "PUBLISH_OUTCOME_REJECTED", "PUBLISH_OUTCOME_CLOSED"],
            results.Select(r => r.GetProperty("outcome").GetString()));
        Assert.Equal("wage.max", results[3].GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(("filled", 2), (nurse.Status, nurse.Version));
        Assert.Equal(["GTM", "NIC"], bricklayer.EligibleOriginCountries);
        Assert.Equal((9000, 12000, "HNL"), (bricklayer.Wage.Min, bricklayer.Wage.Max, bricklayer.Wage.Currency));
    }

    [Fact]
    public async Task A_csv_export_reads_back_as_the_same_feed_and_the_spreadsheet_export_escapes_cells_a_spreadsheet_would_run()
    {
        var client = Client("PAN");
        var plain = Vacancy("E-1", country: "PAN");
        plain.EmployerName = "Constructora del Istmo, S.A.";
        plain.EligibleOriginCountries.Add("COL");
        plain.ForeignWorkersEligible = true;
        var hostile = Vacancy("E-2", country: "PAN");
        hostile.Title = "=HYPERLINK(\"http://example.invalid\",\"Apply\")";
        hostile.EmployerName = "@SUM(1+1)";
        hostile.Description = "+cmd|' /C calc'!A0";
        await client.PublishVacancyAsync(new PublishVacancyRequest { Vacancy = plain }, cancellationToken: Ct);
        await client.PublishVacancyAsync(new PublishVacancyRequest { Vacancy = hostile }, cancellationToken: Ct);

        var export = await Vacancies.CreateClient().GetStringAsync("/api/v1/vacancies:csv?country=PA", Ct);
        var spreadsheet = await Vacancies.CreateClient().GetStringAsync("/api/v1/vacancies:csv?country=PA&for=spreadsheet", Ct);
        using var reader = new CsvHelper.CsvReader(new StringReader(spreadsheet), System.Globalization.CultureInfo.InvariantCulture);
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.Parser.Record!);
        }

        var header = rows[0];
        var byId = rows.Skip(1).ToDictionary(r => r[Array.IndexOf(header, "source_id")]);
        string Cell(string id, string column) => byId[id][Array.IndexOf(header, column)];
        using var resent = await Vacancies.CreateClient(TestCaller.Publisher("PAN")).PostAsync("/api/v1/vacancies:csv", new StringContent(export, Encoding.UTF8, "text/csv"), Ct);
        var result = await resent.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(["E-1", "E-2"], byId.Keys.Order());
        Assert.Equal("'=HYPERLINK(\"http://example.invalid\",\"Apply\")", Cell("E-2", "title"));
        Assert.Equal("'@SUM(1+1)", Cell("E-2", "employer_name"));
        Assert.StartsWith("'+cmd", Cell("E-2", "description"), StringComparison.Ordinal);
        Assert.Equal(("Constructora del Istmo, S.A.", "COL", "open"), (Cell("E-1", "employer_name"), Cell("E-1", "eligible_origin_countries"), Cell("E-1", "status")));
        Assert.Equal((2, 0), (result.GetProperty("unchanged").GetInt32(), result.GetProperty("updated").GetInt32()));
        Assert.Contains("=HYPERLINK", export, StringComparison.Ordinal);
        Assert.DoesNotContain("'=HYPERLINK", export, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_csv_feed_with_a_wrong_header_is_refused_whole()
    {
        using var semicolons = await Vacancies.CreateClient(TestCaller.Publisher("HND")).PostAsync("/api/v1/vacancies:csv",
            new StringContent("country;source_id;title\nHN;X;Y\n", Encoding.UTF8, "text/csv"), Ct);
        using var json = await Vacancies.CreateClient(TestCaller.Publisher("HND")).PostAsync("/api/v1/vacancies:csv", new StringContent("{}", Encoding.UTF8, "application/json"), Ct);
        var problem = await semicolons.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, semicolons.StatusCode);
        Assert.Contains("the separator must be a comma", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal("application/problem+json", json.Content.Headers.ContentType?.MediaType);
        var unsupported = await json.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(("text/csv", "Send the feed as text/csv (got application/json; charset=utf-8)."),
            (unsupported.GetProperty("expected").GetString(), unsupported.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Closing_announces_the_reason_and_an_unknown_reason_or_vacancy_is_refused()
    {
        await Client().PublishVacancyAsync(new PublishVacancyRequest { Vacancy = Vacancy("K-1") }, cancellationToken: Ct);
        var http = Vacancies.CreateClient(TestCaller.Publisher("GTM"));

        using var closed = await http.PostAsJsonAsync("/api/v1/vacancies/GT/K-1:close", new { reason = "filled" }, Ct);
        using var badReason = await http.PostAsJsonAsync("/api/v1/vacancies/GT/K-1:close", new { reason = "bored" }, Ct);
        var missing = await Assert.ThrowsAsync<RpcException>(async () =>
            await Client().CloseVacancyAsync(new CloseVacancyRequest { Country = "GTM", SourceId = "nope", Reason = "withdrawn" }, cancellationToken: Ct));

        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal("PUBLISH_OUTCOME_CLOSED", (await closed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("outcome").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badReason.StatusCode);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.True(await PublishedVacancyEvents.AnyAsync<VacancyClosed>(Vacancies.Services.GetTestHarness(), e => e.Reason == "filled", Ct));
    }

    [Fact]
    public async Task Searches_over_rest_filter_page_and_refuse_filters_that_cannot_match()
    {
        for (var i = 0; i < 5; i++)
        {
            await Client().PublishVacancyAsync(new PublishVacancyRequest { Vacancy = Vacancy($"S-{i}", i % 2 == 0 ? "7112" : "2221") }, cancellationToken: Ct);
        }

        var http = Vacancies.CreateClient();
        var firstPage = await http.GetFromJsonAsync<JsonElement>("/api/v1/vacancies?country=GT&occupation=71&pageSize=2&includeTotal=true", Ct);
        var token = firstPage.GetProperty("nextPageToken").GetString();
        var secondPage = await http.GetFromJsonAsync<JsonElement>($"/api/v1/vacancies?country=GT&occupation=71&pageSize=2&pageToken={token}", Ct);
        var text = await http.GetFromJsonAsync<JsonElement>("/api/v1/vacancies?text=construccion%20vivienda&occupation=2221", Ct);
        using var bad = await http.GetAsync("/api/v1/vacancies?country=FR&occupation=7A&status=closed", Ct);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(3, firstPage.GetProperty("total").GetInt64());
        Assert.Equal(["S-4", "S-2"], firstPage.GetProperty("vacancies").EnumerateArray().Select(v => v.GetProperty("sourceId").GetString()));
        Assert.Equal(["S-0"], secondPage.GetProperty("vacancies").EnumerateArray().Select(v => v.GetProperty("sourceId").GetString()));
        Assert.False(secondPage.TryGetProperty("nextPageToken", out var next) && next.GetString()!.Length > 0);
        Assert.Equal(2, text.GetProperty("vacancies").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal([("country", "FR"), ("occupation", "7A"), ("status", "closed")], Refusals.ProblemErrors(problem).Select(e => (e.Field, e.Value)));
    }

    [Fact]
    public async Task Searches_by_relevance_over_rest_and_grpc_put_the_best_matches_first_and_refuse_what_cannot_be_ranked()
    {
        foreach (var (sourceId, title, description) in new[]
        {
            ("R-title", "Soldador", "Taller en Mixco"),
            ("R-description", "Ayudante", "Apoyo al soldador del taller"),
            ("R-title-2", "Soldador", "Taller en Jutiapa"),
        })
        {
            var vacancy = Vacancy(sourceId);
            (vacancy.Title, vacancy.Description) = (title, description);
            await Client().PublishVacancyAsync(new PublishVacancyRequest { Vacancy = vacancy }, cancellationToken: Ct);
        }

        var http = Vacancies.CreateClient();

        var first = await http.GetFromJsonAsync<JsonElement>("/api/v1/vacancies?text=soldador&order=relevance&pageSize=2", Ct);
        var token = first.GetProperty("nextPageToken").GetString();
        var second = await http.GetFromJsonAsync<JsonElement>($"/api/v1/vacancies?text=soldador&order=relevance&pageSize=2&pageToken={token}", Ct);
        var overGrpc = await Client().SearchVacanciesAsync(new SearchVacanciesRequest { Text = "SOLDADOR", Order = "Relevance" }, cancellationToken: Ct);
        using var noText = await http.GetAsync("/api/v1/vacancies?order=relevance", Ct);
        using var unknownOrder = await http.GetAsync("/api/v1/vacancies?text=soldador&order=oldest", Ct);
        using var newestToken = await http.GetAsync($"/api/v1/vacancies?text=soldador&pageToken={token![1..]}&order=relevance", Ct);
        using var rankedTokenNewest = await http.GetAsync($"/api/v1/vacancies?text=soldador&pageToken={token}", Ct);

        static string[] Ids(JsonElement page) => [.. page.GetProperty("vacancies").EnumerateArray().Select(v => v.GetProperty("sourceId").GetString()!)];
        Assert.Equal(["R-title-2", "R-title"], Ids(first));
        Assert.Equal(["R-description"], Ids(second));
        Assert.Equal("r2", token);
        Assert.Equal(["R-title-2", "R-title", "R-description"], overGrpc.Vacancies.Select(v => v.SourceId));
        foreach (var (refused, field) in new[] { (noText, "order"), (unknownOrder, "order"), (newestToken, "page_token"), (rankedTokenNewest, "page_token") })
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal(field, Assert.Single(Refusals.ProblemErrors(await refused.Content.ReadFromJsonAsync<JsonElement>(Ct))).Field);
        }
    }

    [Fact]
    public async Task A_mirror_takes_the_snapshot_then_follows_changes_and_resumes_after_a_disconnect_without_gap_or_repeat()
    {
        await Client("DOM").PublishVacancyAsync(new PublishVacancyRequest { Vacancy = Vacancy("M-1", country: "DOM") }, cancellationToken: Ct);
        await Client("DOM").PublishVacancyAsync(new PublishVacancyRequest { Vacancy = Vacancy("M-2", country: "DOM") }, cancellationToken: Ct);

        var mirror = new Dictionary<string, int>();
        long cursor = 0;
        using (var snapshot = Client().GetSnapshot(new GetSnapshotRequest { Country = "DO" }, cancellationToken: Ct))
        {
            await foreach (var change in snapshot.ResponseStream.ReadAllAsync(Ct))
            {
                mirror[change.Vacancy.SourceId] = change.Vacancy.Positions;
                cursor = change.Cursor;
            }
        }

        await Client("DOM").PublishVacancyAsync(new PublishVacancyRequest { Vacancy = Vacancy("M-1", country: "DOM", positions: 6) }, cancellationToken: Ct);
        await Client("DOM").PublishVacancyAsync(new PublishVacancyRequest { Vacancy = Vacancy("M-3", country: "DOM") }, cancellationToken: Ct);

        // Follow, then drop the connection after one change.
        var received = new List<string>();
        using (var follow = Client().StreamChanges(new StreamChangesRequest { After = cursor, Country = "DOM", Follow = true }, cancellationToken: Ct))
        {
            Assert.True(await follow.ResponseStream.MoveNext(Ct));
            received.Add(follow.ResponseStream.Current.Vacancy.SourceId);
            mirror[follow.ResponseStream.Current.Vacancy.SourceId] = follow.ResponseStream.Current.Vacancy.Positions;
            cursor = follow.ResponseStream.Current.Cursor;
        }

        await Client("DOM").CloseVacancyAsync(new CloseVacancyRequest { Country = "DOM", SourceId = "M-2", Reason = "withdrawn" }, cancellationToken: Ct);
        using (var resumed = Client().StreamChanges(new StreamChangesRequest { After = cursor, Country = "DOM" }, cancellationToken: Ct))
        {
            await foreach (var change in resumed.ResponseStream.ReadAllAsync(Ct))
            {
                received.Add(change.Vacancy.SourceId + (change.Removed ? " removed" : string.Empty));
                if (change.Removed)
                {
                    mirror.Remove(change.Vacancy.SourceId);
                }
                else
                {
                    mirror[change.Vacancy.SourceId] = change.Vacancy.Positions;
                }
            }
        }

        Assert.Equal(["M-1", "M-3", "M-2 removed"], received);
        Assert.Equal(new Dictionary<string, int> { ["M-1"] = 6, ["M-3"] = 1 }, mirror);
    }
}
