using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Lmis.Contracts.Statistics.V1;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Testing;
using FieldError = Lmis.BuildingBlocks.Errors.FieldError;

namespace Lmis.EndToEnd.Tests;

/// <summary>
/// The first vertical slice through the public entry point: a classification is loaded and looked up, a vacancy
/// is published and its occupation checked against it, and its event reaches the statistics service, which
/// counts it — over REST and over gRPC. Each test uses its own member state, so counts are exact.
/// </summary>
public abstract class VerticalSlice(IRunningStack stack)
{
    private static readonly TimeSpan EventDeadline = TimeSpan.FromSeconds(30);

    protected virtual void RequireStack()
    {
    }

    private HttpClient Http(string? apiKey = null) => stack.Http(apiKey);

    private GrpcChannel Grpc(string? apiKey = null) => stack.Grpc(apiKey);

    [Fact]
    public async Task Over_rest_a_vacancy_is_validated_against_the_taxonomy_and_counted_by_statistics()
    {
        RequireStack();
        var ct = TestContext.Current.CancellationToken;
        using var admin = Http(stack.SecretariatKey);
        using var http = Http(await stack.PublisherKeyAsync("CRI"));
        var sourceId = $"MTSS-{Guid.NewGuid():N}";

        using var import = await admin.PostAsJsonAsync("/api/v1/taxonomy/schemes/isco08/versions", new
        {
            amend = true,
            concepts = IscoSample.Concepts.Select(c => new { code = c.Code, parentCode = c.Parent, labels = new Dictionary<string, string> { ["en"] = c.En, ["es"] = c.Es } }),
        }, ct);
        Assert.True(import.IsSuccessStatusCode, await import.Content.ReadAsStringAsync(ct) + stack.Output());
        var concept = await http.GetFromJsonAsync<JsonElement>("/api/v1/taxonomy/schemes/isco08/concepts/6111", ct);
        using var published = await http.PostAsJsonAsync("/api/v1/vacancies", new
        {
            country = "CR",
            sourceId,
            title = "Recolector de café",
            language = "es",
            occupationCode = "6111",
            positions = 12,
            datePosted = "2026-11-01",
            validThrough = DateOnly.FromDateTime(DateTime.UtcNow.AddMonths(2)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        }, ct);
        var outcome = await published.Content.ReadFromJsonAsync<JsonElement>(ct);

        Assert.Equal("Agricultores y trabajadores calificados de cultivos extensivos", concept.GetProperty("labels").GetProperty("es").GetString());
        Assert.True(published.IsSuccessStatusCode, outcome.ToString() + stack.Output());
        Assert.Equal("PUBLISH_OUTCOME_CREATED", outcome.GetProperty("outcome").GetString());

        var counts = await Eventually(
            async () => await http.GetFromJsonAsync<JsonElement>("/api/v1/statistics/vacancy-counts?country=CRI", ct),
            c => c.GetProperty("totalOpenVacancies").GetInt32() == 1);
        var count = Assert.Single(counts.GetProperty("counts").EnumerateArray());
        Assert.Equal(("CRI", "6", 1, 12), (count.GetProperty("country").GetString(), count.GetProperty("occupationMajorGroup").GetString(),
            count.GetProperty("openVacancies").GetInt32(), count.GetProperty("openPositions").GetInt32()));
    }

    [Fact]
    public async Task Over_grpc_a_vacancy_is_validated_against_the_taxonomy_and_counted_once_when_sent_twice()
    {
        RequireStack();
        var ct = TestContext.Current.CancellationToken;
        using var admin = Grpc(stack.SecretariatKey);
        using var channel = Grpc(await stack.PublisherKeyAsync("PAN"));
        var taxonomy = new TaxonomyService.TaxonomyServiceClient(admin);
        var vacancies = new VacanciesService.VacanciesServiceClient(channel);
        var statistics = new StatisticsService.StatisticsServiceClient(channel);
        var vacancy = new Vacancy
        {
            Country = "PAN",
            SourceId = $"MITRADEL-{Guid.NewGuid():N}",
            Title = "Enfermera / Nurse",
            Language = "es",
            OccupationCode = "2221",
            Positions = 4,
        };

        await taxonomy.ImportSchemeVersionAsync(IscoSample.ImportRequest(), cancellationToken: ct);
        var concept = await taxonomy.GetConceptAsync(new GetConceptRequest { Scheme = "isco08", Code = "2221" }, cancellationToken: ct);
        var first = await vacancies.PublishVacancyAsync(new PublishVacancyRequest { Vacancy = vacancy }, cancellationToken: ct);
        var second = await vacancies.PublishVacancyAsync(new PublishVacancyRequest { Vacancy = vacancy }, cancellationToken: ct);

        Assert.Equal("Nursing professionals", concept.Labels["en"]);
        Assert.Equal(Contracts.Vacancies.V1.PublishOutcome.Created, first.Outcome);
        Assert.Equal(Contracts.Vacancies.V1.PublishOutcome.Unchanged, second.Outcome);
        var counts = await Eventually(
            async () => await statistics.GetVacancyCountsAsync(new GetVacancyCountsRequest { Country = "PAN" }, cancellationToken: ct),
            c => c.TotalOpenVacancies >= 1);
        await Task.Delay(500, ct);
        counts = await statistics.GetVacancyCountsAsync(new GetVacancyCountsRequest { Country = "PAN" }, cancellationToken: ct);
        Assert.Equal([("PAN", "2", 1, 4)], counts.Counts.Select(c => (c.Country, c.OccupationMajorGroup, c.OpenVacancies, c.OpenPositions)));
    }

    [Fact]
    public async Task A_vacancy_with_an_unknown_occupation_is_refused_over_rest_and_grpc_and_never_counted()
    {
        RequireStack();
        var ct = TestContext.Current.CancellationToken;
        var publisher = await stack.PublisherKeyAsync("BLZ");
        using var http = Http(publisher);
        using var channel = Grpc(publisher);
        using var admin = Grpc(stack.SecretariatKey);
        await new TaxonomyService.TaxonomyServiceClient(admin).ImportSchemeVersionAsync(IscoSample.ImportRequest(), cancellationToken: ct);
        // Other tests of the stack store Belizean vacancies too: what matters is that these two change nothing.
        var before = await http.GetFromJsonAsync<JsonElement>("/api/v1/statistics/vacancy-counts?country=BLZ", ct);

        using var rest = await http.PostAsJsonAsync("/api/v1/vacancies", new { country = "BLZ", sourceId = "LD-1", title = "Chef", occupationCode = "9999" }, ct);
        var problem = await rest.Content.ReadFromJsonAsync<JsonElement>(ct);
        var grpc = await Assert.ThrowsAsync<RpcException>(async () => await new VacanciesService.VacanciesServiceClient(channel).PublishVacancyAsync(
            new PublishVacancyRequest { Vacancy = new Vacancy { Country = "BLZ", SourceId = "LD-2", Title = "Chef", OccupationCode = "51a" } },
            cancellationToken: ct));
        var counts = await http.GetFromJsonAsync<JsonElement>("/api/v1/statistics/vacancy-counts?country=BLZ", ct);

        Assert.Equal(HttpStatusCode.BadRequest, rest.StatusCode);
        Assert.Equal("application/problem+json", rest.Content.Headers.ContentType?.MediaType);
        var restError = Assert.Single(Refusals.ProblemErrors(problem));
        Assert.Equal(("occupation_code", "9999"), (restError.Field, restError.Value));
        Assert.StartsWith("not an ISCO-08 occupation known to the taxonomy", restError.Reason, StringComparison.Ordinal);
        Assert.Equal(StatusCode.InvalidArgument, grpc.StatusCode);
        Assert.Contains("occupation_code '51a': not an ISCO-08 code", grpc.Status.Detail, StringComparison.Ordinal);
        // Through the gateway, the gRPC status details still give field, value and reason apart.
        Assert.Contains(new FieldError("occupation_code", "51a", "not an ISCO-08 code: expected 1 to 4 digits"), Refusals.FieldErrors(grpc));
        Assert.Contains(Refusals.Violations(grpc), v => v.Field == "occupation_code" && v.Description == "'51a': not an ISCO-08 code: expected 1 to 4 digits");
        Assert.Equal(before.GetProperty("totalOpenVacancies").GetInt32(), counts.GetProperty("totalOpenVacancies").GetInt32());
        foreach (var sourceId in new[] { "LD-1", "LD-2" })
        {
            var lookup = await Assert.ThrowsAsync<RpcException>(async () => await new VacanciesService.VacanciesServiceClient(admin).GetVacancyAsync(
                new GetVacancyRequest { Country = "BLZ", SourceId = sourceId }, cancellationToken: ct));
            Assert.Equal(StatusCode.NotFound, lookup.StatusCode);
        }
    }

    [Fact]
    public async Task Over_rest_a_taxonomy_version_is_imported_diffed_searched_and_translated_and_vacancies_learn_of_it()
    {
        RequireStack();
        var ct = TestContext.Current.CancellationToken;
        using var http = Http(await stack.PublisherKeyAsync("HND"));
        using var admin = Http(stack.SecretariatKey);
        var cook = new { country = "HND", sourceId = $"SENAEH-{Guid.NewGuid():N}", title = "Cocinero de comedor escolar", occupationCode = "5129", positions = 2 };

        // Every ISCO-08 group is built in; a national adaptation adds its own (here 5129). Before the taxonomy has it, a
        // vacancy coded with it is refused (and the answer remembered).
        using var early = await http.PostAsJsonAsync("/api/v1/vacancies", cook, ct);
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);

        using var isco = await admin.PostAsJsonAsync("/api/v1/taxonomy/schemes/isco08/versions:csv", new
        {
            amend = true,
            conceptsCsv = "code,parent_code\n512,51\n5129,512\n222,22\n2221,222\n",
            labelsCsv = """
                code,language,kind,text
                512,en,preferred,Cooks
                5129,en,preferred,School canteen cooks
                5129,es,preferred,Cocineros de comedores escolares
                222,en,preferred,Nursing and midwifery professionals
                2221,en,preferred,Nursing professionals
                2221,es,preferred,Profesionales de enfermería
                """,
        }, ct);
        var released = await isco.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.True(isco.IsSuccessStatusCode, released.ToString() + stack.Output());
        var version = released.GetProperty("version").GetInt32();

        var diff = await http.GetFromJsonAsync<JsonElement>($"/api/v1/taxonomy/schemes/isco08/versions/{version}/diff", ct);
        var concept = await http.GetFromJsonAsync<JsonElement>("/api/v1/taxonomy/schemes/isco08/concepts/5129", ct);
        var search = await http.GetFromJsonAsync<JsonElement>("/api/v1/taxonomy/search?q=enfermeria&scheme=isco08&language=es", ct);
        using var soc = await admin.PostAsJsonAsync("/api/v1/taxonomy/schemes/soc2010/versions:csv", new
        {
            conceptsCsv = "code,parent_code\n29-1141,\n35-2014,\n",
            labelsCsv = "code,language,kind,text\n29-1141,en,preferred,Registered Nurses\n35-2014,en,preferred,\"Cooks, Restaurant\"\n",
            relationsCsv = "code,relation,target_scheme,target_code\n29-1141,partial,isco08,2221\n35-2014,partial,isco08,5120\n",
        }, ct);
        var translation = await http.GetFromJsonAsync<JsonElement>("/api/v1/taxonomy/schemes/soc2010/concepts/35-2014/translations/isco08", ct);

        Assert.Contains(diff.GetProperty("added").EnumerateArray(), c => c.GetProperty("code").GetString() == "5129");
        Assert.Equal("Cocineros de comedores escolares", concept.GetProperty("labels").GetProperty("es").GetString());
        Assert.Equal("2221", search.GetProperty("hits")[0].GetProperty("concept").GetProperty("code").GetString());
        Assert.True(soc.IsSuccessStatusCode, await soc.Content.ReadAsStringAsync(ct));
        var target = Assert.Single(translation.GetProperty("targets").EnumerateArray());
        Assert.Equal(("5120", "partial"), (target.GetProperty("concept").GetProperty("code").GetString(), target.GetProperty("relation").GetString()));

        // TaxonomyVersionReleased tells the vacancies service to look codes up afresh: the same vacancy is now accepted.
        var accepted = await Eventually(
            async () => await http.PostAsJsonAsync("/api/v1/vacancies", cook, ct),
            response => response.IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task A_whole_feed_over_a_grpc_stream_and_as_csv_published_twice_is_stored_and_counted_once()
    {
        RequireStack();
        var ct = TestContext.Current.CancellationToken;
        var publisher = await stack.PublisherKeyAsync("DOM");
        using var http = Http(publisher);
        using var channel = Grpc(publisher);
        using var admin = Grpc(stack.SecretariatKey);
        await new TaxonomyService.TaxonomyServiceClient(admin).ImportSchemeVersionAsync(IscoSample.ImportRequest(), cancellationToken: ct);
        var vacancies = new VacanciesService.VacanciesServiceClient(channel);
        var run = Guid.NewGuid().ToString("N")[..8];
        var csv = $"""
            country,source_id,title,occupation_code,positions,status
            DO,{run}-C1,Albañil,7112,2,
            DO,{run}-C2,Enfermera,2221,1,
            DO,{run}-C3,Enfermera,9999,1,
            """;

        async Task<PublishVacanciesResponse> StreamAsync()
        {
            using var call = vacancies.PublishVacancies(cancellationToken: ct);
            foreach (var (id, occupation, positions) in new[] { ("S1", "7112", 3), ("S2", "6111", 5), ("S3", "7A", 1) })
            {
                await call.RequestStream.WriteAsync(new PublishVacancyRequest
                {
                    Vacancy = new Vacancy { Country = "DOM", SourceId = $"{run}-{id}", Title = "Trabajador", OccupationCode = occupation, Positions = positions },
                }, ct);
            }

            await call.RequestStream.CompleteAsync();
            return await call;
        }

        async Task<JsonElement> PostCsvAsync()
        {
            using var response = await http.PostAsync("/api/v1/vacancies:csv", new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"), ct);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(ct) + stack.Output());
            return await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        }

        var streamed = await StreamAsync();
        var uploaded = await PostCsvAsync();
        var streamedAgain = await StreamAsync();
        var uploadedAgain = await PostCsvAsync();

        Assert.Equal((2, 1), (streamed.Created, streamed.Rejected));
        Assert.Equal((0, 2, 1), (streamedAgain.Created, streamedAgain.Unchanged, streamedAgain.Rejected));
        Assert.Equal(2, uploaded.GetProperty("created").GetInt32());
        Assert.Equal(2, uploadedAgain.GetProperty("unchanged").GetInt32());
        Assert.Equal(4, uploaded.GetProperty("results")[2].GetProperty("index").GetInt32());
        var counts = await Eventually(
            async () => await http.GetFromJsonAsync<JsonElement>("/api/v1/statistics/vacancy-counts?country=DOM", ct),
            c => c.GetProperty("totalOpenVacancies").GetInt32() >= 4);
        await Task.Delay(500, ct);
        counts = await http.GetFromJsonAsync<JsonElement>("/api/v1/statistics/vacancy-counts?country=DOM", ct);
        Assert.Equal((4, 11), (counts.GetProperty("totalOpenVacancies").GetInt32(), counts.GetProperty("totalOpenPositions").GetInt32()));
    }

    [Fact]
    public async Task Derived_vacancy_figures_equal_the_vacancies_service_and_come_out_the_same_when_rebuilt_from_it()
    {
        RequireStack();
        var ct = TestContext.Current.CancellationToken;
        using var admin = Grpc(stack.SecretariatKey);
        await new TaxonomyService.TaxonomyServiceClient(admin).ImportSchemeVersionAsync(IscoSample.ImportRequest(), cancellationToken: ct);
        using var channel = Grpc(await stack.PublisherKeyAsync("CAN"));
        var vacancies = new VacanciesService.VacanciesServiceClient(channel);
        var statistics = new StatisticsService.StatisticsServiceClient(admin);
        var run = Guid.NewGuid().ToString("N")[..8];
        using (var call = vacancies.PublishVacancies(cancellationToken: ct))
        {
            foreach (var (id, occupation, positions) in new[] { ("1", "6111", 3), ("2", "6111", 1), ("3", "7112", 2), ("4", "2221", 5), ("5", "7112", 1) })
            {
                await call.RequestStream.WriteAsync(new PublishVacancyRequest
                {
                    Vacancy = new Vacancy
                    {
                        Country = "CAN",
                        SourceId = $"{run}-{id}",
                        Title = "Worker",
                        Language = "en",
                        OccupationCode = occupation,
                        Positions = positions,
                        DatePosted = "2026-10-01",
                        ForeignWorkersEligible = id != "4",
                    },
                }, ct);
            }

            await call.RequestStream.CompleteAsync();
            Assert.Equal(5, (await call).Created);
        }

        await vacancies.PublishVacancyAsync(new PublishVacancyRequest
        {
            Vacancy = new Vacancy { Country = "CAN", SourceId = $"{run}-2", Title = "Worker", Language = "en", OccupationCode = "6111", Positions = 4, DatePosted = "2026-10-01", ForeignWorkersEligible = true },
        }, cancellationToken: ct);
        await vacancies.CloseVacancyAsync(new CloseVacancyRequest { Country = "CAN", SourceId = $"{run}-5", Reason = "filled" }, cancellationToken: ct);

        var source = await vacancies.SearchVacanciesAsync(new SearchVacanciesRequest { Country = "CAN", Status = "open", PageSize = 200, IncludeTotal = true }, cancellationToken: ct);
        var expected = source.Vacancies.GroupBy(v => v.OccupationCode[..1]).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count(), g.Sum(v => v.Positions))).ToArray();
        async Task<(string, int, int)[]> FiguresAsync() =>
            [.. (await statistics.GetVacancyFiguresAsync(new GetVacancyFiguresRequest { Country = "CAN" }, cancellationToken: ct)).Figures
                .Select(f => (f.OccupationGroup, f.OpenVacancies, f.OpenPositions))];
        var derived = await Eventually(FiguresAsync, f => f.SequenceEqual(expected));
        var rebuilt = await statistics.RebuildVacancyFiguresAsync(new RebuildVacancyFiguresRequest(), cancellationToken: ct);
        var afterRebuild = await FiguresAsync();
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await new StatisticsService.StatisticsServiceClient(channel).RebuildVacancyFiguresAsync(new RebuildVacancyFiguresRequest(), cancellationToken: ct));

        Assert.Equal(4, source.Total);
        Assert.Equal(expected, derived);
        Assert.True(rebuilt.Vacancies >= 5, rebuilt.ToString());
        Assert.Equal(expected, afterRebuild);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
    }

    [Fact]
    public async Task Unknown_paths_get_a_404_problem_and_health_answers()
    {
        RequireStack();
        var ct = TestContext.Current.CancellationToken;
        using var http = Http();

        using var unknown = await http.GetAsync("/api/v1/nothing-here", ct);
        using var health = await http.GetAsync("/health", ct);
        using var alive = await http.GetAsync("/alive", ct);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    private async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + EventDeadline;
        T value;
        do
        {
            value = await read();
            if (done(value))
            {
                return value;
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"The event did not arrive within {EventDeadline.TotalSeconds}s; last answer: {value}\n{stack.Output()}");
        return value;
    }
}

/// <summary>The slice through the gateway, with every service a separate process and events over RabbitMQ.</summary>
[Collection(DistributedStackCollection.Name)]
public sealed class DistributedVerticalSliceTests(DistributedStack stack) : VerticalSlice(stack)
{
    protected override void RequireStack() => stack.RequireRunning();

    [Fact]
    public async Task A_mirror_follows_the_change_feed_through_the_gateway_across_a_restart_of_the_vacancies_service()
    {
        RequireStack();
        var ct = TestContext.Current.CancellationToken;
        using var admin = stack.Grpc(stack.SecretariatKey);
        using var channel = stack.Grpc(await stack.PublisherKeyAsync("NIC"));
        await new TaxonomyService.TaxonomyServiceClient(admin).ImportSchemeVersionAsync(IscoSample.ImportRequest(), cancellationToken: ct);
        var vacancies = new VacanciesService.VacanciesServiceClient(channel);
        Task Publish(string id, int positions) => vacancies.PublishVacancyAsync(new PublishVacancyRequest
        {
            Vacancy = new Vacancy { Country = "NIC", SourceId = id, Title = "Recolector", OccupationCode = "6111", Positions = positions },
        }, cancellationToken: ct).ResponseAsync;

        await Publish("R-1", 1);
        long cursor = 0;
        var mirror = new Dictionary<string, int>();
        using (var snapshot = vacancies.GetSnapshot(new GetSnapshotRequest { Country = "NIC" }, cancellationToken: ct))
        {
            await foreach (var change in snapshot.ResponseStream.ReadAllAsync(ct))
            {
                (mirror[change.Vacancy.SourceId], cursor) = (change.Vacancy.Positions, change.Cursor);
            }
        }

        await Publish("R-2", 2);
        await stack.Vacancies.RestartAsync(TimeSpan.FromSeconds(60));
        await Publish("R-1", 5);
        await Publish("R-3", 3);
        var received = new List<string>();
        using (var changes = vacancies.StreamChanges(new StreamChangesRequest { After = cursor, Country = "NIC" }, cancellationToken: ct))
        {
            await foreach (var change in changes.ResponseStream.ReadAllAsync(ct))
            {
                received.Add(change.Vacancy.SourceId);
                mirror[change.Vacancy.SourceId] = change.Vacancy.Positions;
            }
        }

        Assert.Equal(["R-2", "R-1", "R-3"], received);
        Assert.Equal(new Dictionary<string, int> { ["R-1"] = 5, ["R-2"] = 2, ["R-3"] = 3 }, mirror);
    }
}

/// <summary>The same slice against the standalone host, the README's first command.</summary>
public sealed class StandaloneVerticalSliceTests(StandaloneStack stack) : VerticalSlice(stack), IClassFixture<StandaloneStack>;
