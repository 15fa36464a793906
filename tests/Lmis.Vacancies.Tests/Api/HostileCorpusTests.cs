using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Grpc.Core;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Taxonomy.Grpc;
using Lmis.Testing;
using Lmis.Vacancies.Grpc;
using FieldError = Lmis.BuildingBlocks.Errors.FieldError;

namespace Lmis.Vacancies.Tests.Api;

/// <summary>
/// Inputs built to break a rule, on every path a ministry publishes by: each case names the rule it breaks and the
/// exact refusal it must get (field, value, reason), and nothing stored may change. The stored state is read from
/// the change feed before and after each case.
/// </summary>
public sealed class HostileCorpusTests : IAsyncLifetime
{
    private readonly VacanciesInProcess _service = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string Yesterday = TestDates.Yesterday;

    private ServiceHost<VacanciesGrpcService> Vacancies => _service.Vacancies;

    public async ValueTask InitializeAsync()
    {
        await _service.InitializeAsync();
        // One vacancy already stored: a refusal must leave it exactly as it is.
        await Grpc("MEX").PublishVacancyAsync(new PublishVacancyRequest { Vacancy = Message("STORED-1") }, cancellationToken: Ct);
    }

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    private VacanciesService.VacanciesServiceClient Grpc(string country) => new(Vacancies.GrpcChannel(TestCaller.Publisher(country)));

    /// <summary>Every stored vacancy as (country, source id, version, status), from the change feed.</summary>
    private async Task<string> StoredAsync()
    {
        using var changes = Grpc("MEX").StreamChanges(new StreamChangesRequest { After = 0 }, cancellationToken: Ct);
        var seen = new List<string>();
        await foreach (var change in changes.ResponseStream.ReadAllAsync(Ct))
        {
            var v = change.Vacancy;
            seen.Add($"{v.Country}/{v.SourceId} v{v.Version} {v.Status} {v.Title}");
        }

        return string.Join("\n", seen.Order(StringComparer.Ordinal));
    }

    private static Vacancy Message(string sourceId) => new()
    {
        Country = "MEX",
        SourceId = sourceId,
        Title = "Albañil",
        Language = "es",
        OccupationCode = "7112",
        DatePosted = "2026-11-01",
        ValidThrough = TestDates.Open,
    };

    /// <summary>
    /// A hostile case: the rule it breaks, and the field, value and reason of the refusal it must get. The value is
    /// null where the refusal quotes none (a missing field, an overlong text).
    /// </summary>
    public sealed record Refusal(string Rule, string Field, string? Value, string Reason);

    // ---- REST JSON: POST /api/v1/vacancies ----

    private static readonly (Refusal Expected, Action<JsonObject> Break)[] RestCases =
    [
        (new("unknown member", "wageMin", "9000", "not a member of Vacancy"), v => v["wageMin"] = 9000),
        (new("unknown member", "eligibleOrigins", "[\"GTM\"]", "not a member of Vacancy"), v => v["eligibleOrigins"] = new JsonArray("GTM")),
        (new("unknown member in a nested message", "wage.minimum", "1", "not a member of Wage"), v => v["wage"] = new JsonObject { ["minimum"] = 1 }),
        (new("wrong type: fraction for a whole number", "positions", "1.5", "expected a whole number from -2147483648 to 2147483647"), v => v["positions"] = 1.5),
        (new("wrong type: text for a whole number", "positions", "3", "expected a whole number from -2147483648 to 2147483647"), v => v["positions"] = "3"),
        (new("huge number for a 32-bit field", "positions", "4294967296", "expected a whole number from -2147483648 to 2147483647"), v => v["positions"] = 4294967296L),
        (new("operator object for a string", "title", "{\"$ne\":null}", "expected a JSON string"), v => v["title"] = new JsonObject { ["$ne"] = null }),
        (new("wrong type: number for a list", "eligibleOriginCountries", "3", "expected a JSON array of a JSON string"), v => v["eligibleOriginCountries"] = 3),
        (new("huge number for a wage", "wage.min", "1000000000000000", "a number from 0 to 1000000000"),
            v => v["wage"] = new JsonObject { ["min"] = 1e15, ["currency"] = "MXN", ["period"] = "month" }),
        (new("zero positions", "positions", "0", "a whole number from 1 to 100000"), v => v["positions"] = 0),
        (new("negative positions", "positions", "-2", "a whole number from 1 to 100000"), v => v["positions"] = -2),
        (new("closing date in the past, sent open", "valid_through", Yesterday, "the closing date has passed"), v => v["validThrough"] = Yesterday),
        (new("unassigned origin country", "eligible_origin_countries", "ZZZ", "not a country ISO 3166-1 has assigned"),
            v => (v["foreignWorkersEligible"], v["eligibleOriginCountries"]) = (true, new JsonArray("ZZZ"))),
        (new("bad ISCO-08 code", "occupation_code", "9999", "not an ISCO-08 occupation known to the taxonomy"), v => v["occupationCode"] = "9999"),
        (new("bad currency", "wage.currency", "XXQ", "not an ISO 4217 currency code"),
            v => v["wage"] = new JsonObject { ["min"] = 9000, ["currency"] = "XXQ", ["period"] = "month" }),
        (new("minimum wage above maximum", "wage.max", "9000", "below the minimum (12000)"),
            v => v["wage"] = new JsonObject { ["min"] = 12000, ["max"] = 9000, ["currency"] = "MXN", ["period"] = "month" }),
        (new("NUL in text", "title", "Alba\0il", "contains control characters"), v => v["title"] = "Alba\0il"),
        (new("control character in text", "employer_name", "Obra\u001B[2J", "contains control characters"), v => v["employerName"] = "Obra\u001B[2J"),
        (new("overlong text", "title", null, "at most 300 characters, got 301"), v => v["title"] = new string('a', 301)),
        (new("unknown status", "status", "expired", "open, filled or withdrawn"), v => v["status"] = "expired"),
    ];

    private static JsonObject RestVacancy(string sourceId) => new()
    {
        ["country"] = "MX",
        ["sourceId"] = sourceId,
        ["title"] = "Albañil",
        ["language"] = "es",
        ["occupationCode"] = "7112",
        ["datePosted"] = "2026-11-01",
        ["validThrough"] = TestDates.Open,
    };

    [Fact]
    public async Task Hostile_rest_json_is_refused_naming_the_member_value_and_reason_and_changes_nothing_stored()
    {
        var http = Vacancies.CreateClient(TestCaller.Publisher("MEX"));
        var cases = RestCases.Select((c, i) =>
        {
            var body = RestVacancy("STORED-1");
            c.Break(body);
            return (c.Expected, Body: body.ToJsonString());
        }).ToList();
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 40)) + "1" + new string('}', 40);
        cases.Add((new Refusal("deeply nested JSON", "(body)", null, "not JSON this API reads"), $"{{\"country\":\"MX\",\"wage\":{deep}}}"));
        cases.Add((new Refusal("not JSON", "(body)", null, "not JSON this API reads"), "{\"country\":"));
        cases.Add((new Refusal("not an object", "(body)", "[]", "expected a JSON object (Vacancy)"), "[]"));

        var failures = new List<string>();
        foreach (var (expected, body) in cases)
        {
            var before = await StoredAsync();
            using var response = await http.PostAsync("/api/v1/vacancies", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            var named = Refusals.ProblemErrors(problem).Any(x => NamesExactly(expected, x));
            if (response.StatusCode != HttpStatusCode.BadRequest || response.Content.Headers.ContentType?.MediaType != "application/problem+json" || !named)
            {
                failures.Add($"{expected.Rule}: {(int)response.StatusCode} {problem}");
            }

            if (await StoredAsync() != before)
            {
                failures.Add($"{expected.Rule}: stored vacancies changed");
            }
        }

        // Publisher scoping: a credential of Mexico does not publish Guatemala's vacancies.
        var scoped = RestVacancy("OTHER-1");
        scoped["country"] = "GT";
        var beforeScoped = await StoredAsync();
        using var denied = await http.PostAsJsonAsync("/api/v1/vacancies", scoped, Ct);

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(RestCases.Length + 3, cases.Count);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("a credential of MEX", (await denied.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(beforeScoped, await StoredAsync());
    }

    // ---- gRPC: PublishVacancy and the PublishVacancies stream ----

    private static readonly (Refusal Expected, Action<Vacancy> Break)[] GrpcCases =
    [
        (new("zero positions", "positions", "0", "a whole number from 1 to 100000"), v => v.Positions = 0),
        (new("negative positions", "positions", "-2", "a whole number from 1 to 100000"), v => v.Positions = -2),
        (new("huge positions", "positions", "2000000000", "a whole number from 1 to 100000"), v => v.Positions = 2_000_000_000),
        (new("closing date in the past, sent open", "valid_through", Yesterday, "the closing date has passed"), v => v.ValidThrough = Yesterday),
        (new("unassigned origin country", "eligible_origin_countries", "ZZZ", "not a country ISO 3166-1 has assigned"),
            v =>
            {
                v.ForeignWorkersEligible = true;
                v.EligibleOriginCountries.Add("ZZZ");
            }),
        (new("bad ISCO-08 code", "occupation_code", "71A2", "not an ISCO-08 code: expected 1 to 4 digits"), v => v.OccupationCode = "71A2"),
        (new("bad currency", "wage.currency", "XXQ", "not an ISO 4217 currency code"), v => v.Wage = new Wage { Min = 9000, Currency = "XXQ", Period = "month" }),
        (new("minimum wage above maximum", "wage.max", "9000", "below the minimum (12000)"), v => v.Wage = new Wage { Min = 12000, Max = 9000, Currency = "MXN", Period = "month" }),
        (new("huge wage", "wage.min", "1E+300", "a number from 0 to 1000000000"), v => v.Wage = new Wage { Min = 1e300, Currency = "MXN", Period = "month" }),
        (new("NUL in text", "title", "Alba\0il", "contains control characters"), v => v.Title = "Alba\0il"),
        (new("overlong text", "description", null, "at most 20000 characters, got 20001"), v => v.Description = new string('a', 20_001)),
        (new("missing source id", "source_id", null, "required"), v => v.SourceId = string.Empty),
        (new("unknown status", "status", "expired", "open, filled or withdrawn"), v => v.Status = "expired"),
    ];

    private static Vacancy Broken((Refusal Expected, Action<Vacancy> Break) c, string sourceId)
    {
        var vacancy = Message(sourceId);
        c.Break(vacancy);
        return vacancy;
    }

    private static bool Names(Refusal expected, string field, string value, string reason) =>
        field == expected.Field && reason.Contains(expected.Reason, StringComparison.Ordinal) && (expected.Value is null || value == expected.Value);

    /// <summary>A refusal's field error as the contract gives it: the value exactly (null when none), the reason without it.</summary>
    private static bool NamesExactly(Refusal expected, FieldError error) =>
        error.Field == expected.Field && error.Value == expected.Value
        && error.Reason.Contains(expected.Reason, StringComparison.Ordinal) && !error.Reason.StartsWith('\'');

    [Fact]
    public async Task Hostile_grpc_vacancies_are_refused_naming_the_field_value_and_reason_and_change_nothing_stored()
    {
        var failures = new List<string>();
        foreach (var c in GrpcCases)
        {
            var before = await StoredAsync();
            var refused = await Assert.ThrowsAsync<RpcException>(async () =>
                await Grpc("MEX").PublishVacancyAsync(new PublishVacancyRequest { Vacancy = Broken(c, "STORED-1") }, cancellationToken: Ct));
            // google.rpc.BadRequest for any gRPC tooling (the description quotes the value), and the value apart from
            // the reason in lmis.errors.v1.FieldErrors.
            var violations = Refusals.Violations(refused);
            if (refused.StatusCode != StatusCode.InvalidArgument
                || !violations.Any(v => v.Field == c.Expected.Field && v.Description.Contains(c.Expected.Reason, StringComparison.Ordinal)
                    && (c.Expected.Value is null || v.Description.StartsWith($"'{c.Expected.Value}': ", StringComparison.Ordinal)))
                || !Refusals.FieldErrors(refused).Any(e => NamesExactly(c.Expected, e)))
            {
                failures.Add($"{c.Expected.Rule}: {refused.Status}");
            }

            if (await StoredAsync() != before)
            {
                failures.Add($"{c.Expected.Rule}: stored vacancies changed");
            }
        }

        var beforeScoped = await StoredAsync();
        var other = Message("OTHER-1");
        other.Country = "GTM";
        var denied = await Assert.ThrowsAsync<RpcException>(async () =>
            await Grpc("MEX").PublishVacancyAsync(new PublishVacancyRequest { Vacancy = other }, cancellationToken: Ct));

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal((StatusCode.PermissionDenied, "a credential of MEX publishes MEX's vacancies only"), (denied.StatusCode, denied.Status.Detail));
        Assert.Equal(beforeScoped, await StoredAsync());
    }

    [Fact]
    public async Task A_hostile_grpc_feed_refuses_each_bad_item_by_position_and_stores_only_the_good_ones()
    {
        var before = await StoredAsync();
        using var call = Grpc("MEX").PublishVacancies(cancellationToken: Ct);
        for (var i = 0; i < GrpcCases.Length; i++)
        {
            await call.RequestStream.WriteAsync(new PublishVacancyRequest { Vacancy = Broken(GrpcCases[i], "STORED-1") }, Ct);
        }

        var other = Message("OTHER-1");
        other.Country = "GTM";
        await call.RequestStream.WriteAsync(new PublishVacancyRequest { Vacancy = other }, Ct);
        await call.RequestStream.WriteAsync(new PublishVacancyRequest(), Ct);
        await call.RequestStream.WriteAsync(new PublishVacancyRequest { Vacancy = Message("GOOD-1") }, Ct);
        // The same vacancy twice in one feed: applied in order, the later item closing it (one more version).
        var closing = Message("GOOD-1");
        closing.Status = "filled";
        await call.RequestStream.WriteAsync(new PublishVacancyRequest { Vacancy = closing }, Ct);
        await call.RequestStream.CompleteAsync();
        var answer = await call;

        var refused = answer.Results.Take(GrpcCases.Length).ToArray();
        Assert.All(refused.Zip(GrpcCases), pair =>
        {
            Assert.Equal(PublishOutcome.Rejected, pair.First.Outcome);
            Assert.Contains(pair.First.Errors, e => Names(pair.Second.Expected, e.Field, e.Value, e.Reason));
        });
        var scoping = answer.Results[GrpcCases.Length];
        Assert.Equal(("country", "GTM", "a credential of MEX publishes MEX's vacancies only"), (scoping.Errors[0].Field, scoping.Errors[0].Value, scoping.Errors[0].Reason));
        Assert.Equal(("vacancy", "required"), (answer.Results[GrpcCases.Length + 1].Errors[0].Field, answer.Results[GrpcCases.Length + 1].Errors[0].Reason));
        Assert.Equal([PublishOutcome.Created, PublishOutcome.Closed], answer.Results.TakeLast(2).Select(r => r.Outcome));
        Assert.Equal((GrpcCases.Length + 4, 1, 0, 0, 1, GrpcCases.Length + 2), (answer.Received, answer.Created, answer.Updated, answer.Unchanged, answer.Closed, answer.Rejected));
        Assert.Equal(string.Join("\n", before.Split('\n').Append("MEX/GOOD-1 v2 filled Albañil").Order(StringComparer.Ordinal)), await StoredAsync());
    }

    // ---- CSV feed: POST /api/v1/vacancies:csv ----

    private const string Header = "country,source_id,title,occupation_code,positions,valid_through,wage_min,wage_max,wage_currency,wage_period,status";

    private static readonly (Refusal Expected, string Row)[] CsvRowCases =
    [
        (new("zero positions", "positions", "0", "a whole number from 1 to 100000"), "MX,STORED-1,Albañil,7112,0,{open},,,,,"),
        (new("fraction positions", "positions", "1.5", "a whole number from 1 to 100000"), "MX,STORED-1,Albañil,7112,1.5,{open},,,,,"),
        (new("huge positions", "positions", "4294967296", "a whole number from 1 to 100000"), "MX,STORED-1,Albañil,7112,4294967296,{open},,,,,"),
        (new("closing date in the past, sent open", "valid_through", Yesterday, "the closing date has passed"), $"MX,STORED-1,Albañil,7112,1,{Yesterday},,,,,"),
        (new("bad ISCO-08 code", "occupation_code", "9999", "not an ISCO-08 occupation"), "MX,STORED-1,Albañil,9999,1,{open},,,,,"),
        (new("bad currency", "wage.currency", "XXQ", "not an ISO 4217 currency code"), "MX,STORED-1,Albañil,7112,1,{open},9000,,XXQ,month,"),
        (new("minimum wage above maximum", "wage.max", "9000", "below the minimum (12000)"), "MX,STORED-1,Albañil,7112,1,{open},12000,9000,MXN,month,"),
        (new("decimal comma wage", "wage.min", "9,50", "decimal point, no thousands separator"), "MX,STORED-1,Albañil,7112,1,{open},\"9,50\",,MXN,hour,"),
        (new("NUL in text", "title", "Alba\0il", "contains control characters"), "MX,STORED-1,Alba\0il,7112,1,{open},,,,,"),
        (new("overlong text", "title", null, "at most 300 characters, got 301"), $"MX,STORED-1,{new string('a', 301)},7112,1,{{open}},,,,,"),
        (new("another member state's vacancy", "country", "GT", "a credential of MEX publishes MEX's vacancies only"), "GT,STORED-1,Albañil,7112,1,{open},,,,,"),
        (new("unknown status", "status", "expired", "open, filled or withdrawn"), "MX,STORED-1,Albañil,7112,1,{open},,,,,expired"),
        (new("missing columns in a row", "line 2", null, "3 fields where the header has 11"), "MX,STORED-1,Albañil"),
        (new("extra columns in a row", "line 2", null, "12 fields where the header has 11"), "MX,STORED-1,Albañil,7112,1,{open},,,,,,x"),
        (new("unclosed quote", "line 2", null, "the quote opened at column 13 is not closed"), "MX,STORED-1,\"Albañil,7112,1,{open},,,,,\nMX,STORED-2,Cocinero,5120,1,{open},,,,,"),
    ];

    private static readonly (Refusal Expected, string File)[] CsvFileCases =
    [
        (new("semicolon separator", "line 1", "country;source_id;title", "the separator must be a comma"), "country;source_id;title\nMX;X;Y\n"),
        (new("missing required column", "line 1", "country,source_id", "missing columns title"), "country,source_id\nMX,X\n"),
        (new("unknown column", "line 1", "country,source_id,title,wagemin", "unknown columns wagemin"), "country,source_id,title,wagemin\nMX,X,Y,9000\n"),
        (new("empty file", "line 1", null, "no header row"), string.Empty),
    ];

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostCsvAsync(string csv)
    {
        using var response = await Vacancies.CreateClient(TestCaller.Publisher("MEX"))
            .PostAsync("/api/v1/vacancies:csv", new StringContent(csv, Encoding.UTF8, "text/csv"), Ct);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(Ct));
    }

    [Fact]
    public async Task Hostile_csv_rows_and_files_are_refused_with_the_line_field_value_and_reason_and_change_nothing_stored()
    {
        var failures = new List<string>();
        foreach (var (expected, row) in CsvRowCases)
        {
            var before = await StoredAsync();
            var (status, body) = await PostCsvAsync(Header + "\n" + row.Replace("{open}", TestDates.Open, StringComparison.Ordinal) + "\n");
            var errors = body.GetProperty("results")[0].GetProperty("errors").EnumerateArray()
                .Select(e => (Field: e.GetProperty("field").GetString()!, Value: e.GetProperty("value").GetString()!, Reason: e.GetProperty("reason").GetString()!));
            if (status != HttpStatusCode.OK || body.GetProperty("rejected").GetInt32() < 1 || !errors.Any(e => Names(expected, e.Field, e.Value, e.Reason)))
            {
                failures.Add($"{expected.Rule}: {body}");
            }

            if (await StoredAsync() != before)
            {
                failures.Add($"{expected.Rule}: stored vacancies changed");
            }
        }

        foreach (var (expected, file) in CsvFileCases)
        {
            var before = await StoredAsync();
            var (status, problem) = await PostCsvAsync(file);
            if (status != HttpStatusCode.BadRequest || Refusals.ProblemErrors(problem) is not [var error, ..] || !NamesExactly(expected, error))
            {
                failures.Add($"{expected.Rule}: {(int)status} {problem}");
            }

            if (await StoredAsync() != before)
            {
                failures.Add($"{expected.Rule}: stored vacancies changed");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task A_csv_feed_with_a_byte_order_mark_and_crlf_or_lf_lines_is_read_exactly_and_zero_counts_are_given()
    {
        var open = TestDates.Open;
        var (_, withBom) = await PostCsvAsync(
            $"\uFEFFcountry,source_id,title,description,occupation_code,positions,valid_through\r\nMX,BOM-1,Albañil,,7112,2,{open}\r\nMX,BOM-2,Albañil,\"Dos\r\nlíneas\",7112,1,{open}\r\n");
        var (_, withLf) = await PostCsvAsync($"{Header}\nMX,LF-1,Albañil,7112,2,{open},,,,,\nMX,BOM-1,Albañil,7112,2,{open},,,,,filled\n");
        Assert.True(withBom.GetProperty("created").GetInt32() == 2, withBom.ToString());
        var twoLines = await Grpc("MEX").GetVacancyAsync(new GetVacancyRequest { Country = "MEX", SourceId = "BOM-2" }, cancellationToken: Ct);

        Assert.Equal(["PUBLISH_OUTCOME_CREATED", "PUBLISH_OUTCOME_CREATED"], withBom.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("outcome").GetString()));
        Assert.Equal([2, 3], withBom.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("index").GetInt32()));
        Assert.Equal("Dos\r\nlíneas", twoLines.Description);
        Assert.Equal((2, 0, 0, 0, 0, 2), Counts(withBom));
        Assert.Equal((1, 0, 0, 1, 0, 2), Counts(withLf));
    }

    private static (int, int, int, int, int, int) Counts(JsonElement answer) => (
        answer.GetProperty("created").GetInt32(), answer.GetProperty("updated").GetInt32(), answer.GetProperty("unchanged").GetInt32(),
        answer.GetProperty("closed").GetInt32(), answer.GetProperty("rejected").GetInt32(), answer.GetProperty("received").GetInt32());

    [Fact]
    public async Task The_change_feed_names_a_cursor_that_is_not_a_number()
    {
        using var response = await Vacancies.CreateClient().GetAsync("/api/v1/vacancies/changes?after=abc", Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(new FieldError("after", "abc", "expected a whole number (64-bit; as a number or a string of digits)"),
            Assert.Single(Refusals.ProblemErrors(problem)));
    }

    // ---- Random bytes: never a server error ----

    [Fact]
    public async Task Random_bytes_sent_as_a_csv_feed_or_a_rest_vacancy_never_get_a_server_error()
    {
        var http = Vacancies.CreateClient(TestCaller.Publisher("MEX"));
        var bytes = Gen.Frequency(
            (2, Gen.Byte.Array[0, 300]),
            (2, Hostile.Text(200).Select(t => Encoding.UTF8.GetBytes(Header + "\n" + t))),
            (1, Hostile.Text(200).Select(t => Encoding.UTF8.GetBytes("{\"country\":\"MX\",\"title\":" + t + "}"))));

        await Properties.HoldAsync(bytes, async body =>
        {
            using var csv = await http.PostAsync("/api/v1/vacancies:csv", new ByteArrayContent(body) { Headers = { ContentType = new("text/csv") } }, Ct);
            using var json = await http.PostAsync("/api/v1/vacancies", new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } }, Ct);
            Assert.True((int)csv.StatusCode < 500, $"CSV {csv.StatusCode}: {Convert.ToBase64String(body)}");
            Assert.True((int)json.StatusCode < 500, $"JSON {json.StatusCode}: {Convert.ToBase64String(body)}");
        }, iter: 150);
    }
}
