using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Testing;
using FieldError = Lmis.BuildingBlocks.Errors.FieldError;

namespace Lmis.EndToEnd.Tests;

/// <summary>
/// Who may write what, through the gateway and straight at a service inside the network: a ministry's key writes
/// its own member state's vacancies only, whatever the path; no credential, a bad one, or the wrong role writes
/// nothing; keys are revoked and rotated at once; every attempt lands in the audit trail, which no call can change.
/// </summary>
[Collection(DistributedStackCollection.Name)]
public sealed class AccessControlTests(DistributedStack stack)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Vacancy Vacancy(string country, string sourceId, string title = "Albañil") => new()
    {
        Country = country,
        SourceId = sourceId,
        Title = title,
        Language = "es",
        OccupationCode = "7112",
        Positions = 2,
    };

    private async Task<(string Mexico, string Guatemala)> PublishersAsync()
    {
        stack.RequireRunning();
        using var admin = stack.Grpc(stack.SecretariatKey);
        await new TaxonomyService.TaxonomyServiceClient(admin).ImportSchemeVersionAsync(IscoSample.ImportRequest(), cancellationToken: Ct);
        return (await stack.PublisherKeyAsync("MEX"), await stack.PublisherKeyAsync("GTM"));
    }

    [Fact]
    public async Task A_ministry_cannot_write_another_member_state_s_vacancies_by_any_path_and_every_attempt_is_audited()
    {
        var (mexico, guatemala) = await PublishersAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        var target = $"GT-{run}";
        using var guatemalaChannel = stack.Grpc(guatemala);
        await new VacanciesService.VacanciesServiceClient(guatemalaChannel).PublishVacancyAsync(
            new PublishVacancyRequest { Vacancy = Vacancy("GTM", target) }, cancellationToken: Ct);

        using var http = stack.Http(mexico);
        using var channel = stack.Grpc(mexico);
        var vacancies = new VacanciesService.VacanciesServiceClient(channel);

        // REST, one vacancy.
        using var rest = await http.PostAsJsonAsync("/api/v1/vacancies",
            new { country = "GTM", sourceId = target, title = "Hijacked", language = "es", occupationCode = "7112", positions = 99 }, Ct);
        var restProblem = await rest.Content.ReadFromJsonAsync<JsonElement>(Ct);
        // gRPC, one vacancy.
        var unary = await Assert.ThrowsAsync<RpcException>(async () =>
            await vacancies.PublishVacancyAsync(new PublishVacancyRequest { Vacancy = Vacancy("GT", target, "Hijacked") }, cancellationToken: Ct));
        // gRPC feed: Guatemala's item refused, Mexico's own accepted.
        PublishVacanciesResponse feed;
        using (var call = vacancies.PublishVacancies(cancellationToken: Ct))
        {
            await call.RequestStream.WriteAsync(new PublishVacancyRequest { Vacancy = Vacancy("GTM", target, "Hijacked") }, Ct);
            await call.RequestStream.WriteAsync(new PublishVacancyRequest { Vacancy = Vacancy("MEX", $"MX-{run}") }, Ct);
            await call.RequestStream.CompleteAsync();
            feed = await call;
        }

        // CSV feed.
        using var csv = await http.PostAsync("/api/v1/vacancies:csv",
            new StringContent($"country,source_id,title,occupation_code,positions\nGT,{target},Hijacked,7112,99\n", Encoding.UTF8, "text/csv"), Ct);
        var csvResult = await csv.Content.ReadFromJsonAsync<JsonElement>(Ct);
        // Closing, over REST and gRPC.
        using var closeRest = await http.PostAsJsonAsync($"/api/v1/vacancies/GTM/{target}:close", new { reason = "withdrawn" }, Ct);
        var closeGrpc = await Assert.ThrowsAsync<RpcException>(async () =>
            await vacancies.CloseVacancyAsync(new CloseVacancyRequest { Country = "GTM", SourceId = target, Reason = "filled" }, cancellationToken: Ct));
        // Straight at the vacancies service, bypassing the gateway, with a token as the gateway would sign it for Mexico.
        using var direct = GrpcChannel.ForAddress(stack.Vacancies.GrpcUrl, new GrpcChannelOptions
        {
            HttpHandler = CredentialHandler.Bearer(TestCaller.Publisher("MEX").TokenSignedWith(stack.GatewayTokenKey), new SocketsHttpHandler()),
        });
        var directError = await Assert.ThrowsAsync<RpcException>(async () => await new VacanciesService.VacanciesServiceClient(direct)
            .PublishVacancyAsync(new PublishVacancyRequest { Vacancy = Vacancy("GTM", target, "Hijacked") }, cancellationToken: Ct));

        Assert.Equal(HttpStatusCode.Forbidden, rest.StatusCode);
        Assert.Contains("a credential of MEX publishes MEX's vacancies only", restProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(StatusCode.PermissionDenied, unary.StatusCode);
        Assert.Equal([Contracts.Vacancies.V1.PublishOutcome.Rejected, Contracts.Vacancies.V1.PublishOutcome.Created], feed.Results.Select(r => r.Outcome));
        Assert.Equal("country", feed.Results[0].Errors[0].Field);
        Assert.Equal("PUBLISH_OUTCOME_REJECTED", csvResult.GetProperty("results")[0].GetProperty("outcome").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, closeRest.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, closeGrpc.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, directError.StatusCode);

        var stored = await new VacanciesService.VacanciesServiceClient(guatemalaChannel).GetVacancyAsync(
            new GetVacancyRequest { Country = "GTM", SourceId = target }, cancellationToken: Ct);
        Assert.Equal(("Albañil", 1, 2, "open"), (stored.Title, stored.Version, stored.Positions, stored.Status));

        using var admin = stack.Http(stack.SecretariatKey);
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/vacancies/audit?country=MEX&pageSize=50", Ct);
        var entries = audit.GetProperty("records").EnumerateArray().Where(r => r.GetProperty("summary").GetString()!.Contains(target, StringComparison.Ordinal)
            || r.GetProperty("summary").GetString()!.StartsWith("feed", StringComparison.Ordinal)
            || r.GetProperty("summary").GetString()!.StartsWith("CSV", StringComparison.Ordinal)).ToArray();
        var outcomes = entries.Select(r => r.GetProperty("outcome").GetString()).ToArray();
        Assert.Contains("HTTP 403", outcomes);
        Assert.Contains("PERMISSION_DENIED", outcomes);
        var throughGateway = entries.Where(r => r.GetProperty("credential").GetString()!.StartsWith("api-key:", StringComparison.Ordinal)).ToArray();
        Assert.All(throughGateway, r =>
        {
            Assert.Equal("ministry of labour MEX", r.GetProperty("subject").GetString());
            Assert.False(string.IsNullOrEmpty(r.GetProperty("clientAddress").GetString()));
        });
        Assert.True(throughGateway.Length >= 6, audit.ToString());
        Assert.Contains(entries, r => r.GetProperty("subject").GetString() == "ministry-MEX" && r.GetProperty("outcome").GetString() == "PERMISSION_DENIED");
    }

    [Fact]
    public async Task A_ministry_cannot_upload_another_member_state_s_statistics_and_the_secretariat_reads_every_country_s_through_the_gateway()
    {
        var (mexico, guatemala) = await PublishersAsync();
        const string header = "DATAFLOW,REF_AREA,FREQ,SEX,OCU,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,NOTE\n";
        // An upload that stores nothing is refused (400, its counts under "upload").
        async Task<JsonElement> UploadAsync(HttpClient http, string rows, bool refused = false)
        {
            using var response = await http.PostAsync("/sdmx/data", new StringContent(header + rows, Encoding.UTF8, "text/csv"), Ct);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.True(refused ? response.StatusCode == System.Net.HttpStatusCode.BadRequest : response.IsSuccessStatusCode, body.ToString() + stack.Output());
            return refused ? body.GetProperty("upload") : body;
        }

        using var mexicoHttp = stack.Http(mexico);
        using var guatemalaHttp = stack.Http(guatemala);
        var own = await UploadAsync(guatemalaHttp, "RCM:DF_JSK_OCU(1.0),GTM,A,SEX_T,OCU_ISCO08_7112,2025,310,PS,0,A,\n");
        var foreign = await UploadAsync(mexicoHttp,
            "RCM:DF_JSK_OCU(1.0),GTM,A,SEX_T,OCU_ISCO08_7112,2025,9999,PS,0,A,\nRCM:DF_JSK_OCU(1.0),MEX,A,SEX_T,OCU_ISCO08_7112,2025,1200,PS,0,A,\n");
        using var direct = new HttpClient(CredentialHandler.Bearer(TestCaller.Publisher("MEX").TokenSignedWith(stack.GatewayTokenKey), new SocketsHttpHandler()))
        {
            BaseAddress = new Uri(stack.Statistics.HttpUrl),
        };
        var directBody = await UploadAsync(direct, "RCM:DF_JSK_OCU(1.0),GTM,A,SEX_T,OCU_ISCO08_7112,2025,7777,PS,0,A,\n", refused: true);
        using var vacanciesUpload = await guatemalaHttp.PostAsync("/sdmx/data", new StringContent(
            "DATAFLOW,REF_AREA,FREQ,OCU,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS,NOTE\nRCM:DF_VAC_OCU(1.0),GTM,A,OCU_ISCO08_7112,2025,31,NB,0,A,\n",
            Encoding.UTF8, "text/csv"), Ct);
        using var anonymous = stack.Http();
        var regional = await anonymous.GetStringAsync("/sdmx/data/DF_JSK_OCU/MEX+GTM.A.SEX_T.OCU_ISCO08_7112?startPeriod=2025&endPeriod=2025", Ct);
        var shortages = await anonymous.GetFromJsonAsync<JsonElement>("/api/v1/statistics/shortages?period=2025&country=GTM", Ct);
        var complementarity = await anonymous.GetFromJsonAsync<JsonElement>("/api/v1/statistics/complementarity?period=2025", Ct);

        Assert.Equal(1, own.GetProperty("added").GetInt32());
        Assert.Equal((1, 1), (foreign.GetProperty("added").GetInt32(), foreign.GetProperty("rejected").GetInt32()));
        Assert.Equal(new FieldError("line 2, REF_AREA", "GTM", "a credential of MEX reports MEX's figures only"), Refusals.ProblemErrors(foreign)[0]);
        Assert.Equal(1, directBody.GetProperty("rejected").GetInt32());
        var lines = regional.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.Contains(",GTM,A,SEX_T,OCU_ISCO08_7112,2025,310,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(",MEX,A,SEX_T,OCU_ISCO08_7112,2025,1200,", StringComparison.Ordinal));
        Assert.True(vacanciesUpload.IsSuccessStatusCode, await vacanciesUpload.Content.ReadAsStringAsync(Ct));
        var bricklayers = Assert.Single(shortages.GetProperty("occupations").EnumerateArray(), o => o.GetProperty("occupation").GetString() == "7112");
        Assert.Equal((0.1m, "surplus"), (bricklayers.GetProperty("vacanciesPerJobseeker").GetDecimal(), bricklayers.GetProperty("flag").GetString()));
        Assert.True(complementarity.TryGetProperty("pairs", out _), complementarity.ToString());
    }

    [Fact]
    public async Task Without_a_valid_credential_nothing_is_written_at_the_gateway_or_at_a_service()
    {
        var (mexico, _) = await PublishersAsync();
        var sourceId = $"ANON-{Guid.NewGuid():N}";
        using var anonymous = stack.Http();
        using var anonymousGrpc = stack.Grpc();
        using var forged = GrpcChannel.ForAddress(stack.Vacancies.GrpcUrl, new GrpcChannelOptions
        {
            HttpHandler = CredentialHandler.Bearer(TestCaller.Publisher("MEX").TokenSignedWith(TestCaller.NewGatewayTokenKey()), new SocketsHttpHandler()),
        });
        using var keyAtService = GrpcChannel.ForAddress(stack.Vacancies.GrpcUrl, new GrpcChannelOptions
        {
            HttpHandler = CredentialHandler.ApiKey(mexico, new SocketsHttpHandler()),
        });
        using var noneAtService = GrpcChannel.ForAddress(stack.Vacancies.GrpcUrl);
        using var badKey = stack.Http("lmis_not-a-key");
        using var publisher = stack.Http(mexico);

        using var restWrite = await anonymous.PostAsJsonAsync("/api/v1/vacancies", new { country = "MEX", sourceId, title = "X", occupationCode = "7112" }, Ct);
        var restProblem = await restWrite.Content.ReadFromJsonAsync<JsonElement>(Ct);
        async Task<RpcException> PublishAsync(GrpcChannel channel) => await Assert.ThrowsAsync<RpcException>(async () =>
            await new VacanciesService.VacanciesServiceClient(channel).PublishVacancyAsync(
                new PublishVacancyRequest { Vacancy = Vacancy("MEX", sourceId) }, cancellationToken: Ct));
        var grpcWrite = await PublishAsync(anonymousGrpc);
        var forgedWrite = await PublishAsync(forged);
        var keyWrite = await PublishAsync(keyAtService);
        var noneWrite = await PublishAsync(noneAtService);
        using var badKeyRead = await badKey.GetAsync("/api/v1/vacancies?country=MEX", Ct);
        using var publisherImport = await publisher.PostAsJsonAsync("/api/v1/taxonomy/schemes/isco08/versions", new { amend = true, concepts = Array.Empty<object>() }, Ct);
        var importProblem = await publisherImport.Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var publisherKeys = await publisher.GetAsync("/api/v1/access/keys", Ct);
        using var anonymousAudit = await anonymous.GetAsync("/api/v1/vacancies/audit", Ct);
        using var publicRead = await anonymous.GetAsync("/api/v1/vacancies?country=MEX", Ct);
        using var lookup = await anonymous.GetAsync($"/api/v1/vacancies/MEX/{sourceId}", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, restWrite.StatusCode);
        Assert.Contains("send an API key in the X-Api-Key header", restProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unauthenticated, grpcWrite.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, forgedWrite.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, keyWrite.StatusCode);
        Assert.Contains("API keys are accepted at the gateway", keyWrite.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unauthenticated, noneWrite.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, badKeyRead.StatusCode);
        Assert.Contains("The API key is not valid", await badKeyRead.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, publisherImport.StatusCode);
        Assert.Contains("is for the secretariat", importProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, publisherKeys.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousAudit.StatusCode);
        Assert.Equal(HttpStatusCode.OK, publicRead.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task A_rotated_or_revoked_key_is_refused_on_its_very_next_call_and_keys_are_listed_without_secrets()
    {
        await PublishersAsync();
        using var admin = stack.Http(stack.SecretariatKey);
        using var created = await admin.PostAsJsonAsync("/api/v1/access/keys", new { name = "MTPS El Salvador feed", role = "publisher", country = "SV" }, Ct);
        var issued = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = issued.GetProperty("key").GetProperty("id").GetString();
        var first = issued.GetProperty("secret").GetString()!;
        async Task<HttpStatusCode> WriteAsync(string key)
        {
            using var http = stack.Http(key);
            using var response = await http.PostAsJsonAsync("/api/v1/vacancies",
                new { country = "SLV", sourceId = $"MTPS-{Guid.NewGuid():N}", title = "Albañil", occupationCode = "7112", positions = 1 }, Ct);
            return response.StatusCode;
        }

        var before = await WriteAsync(first);
        using var rotation = await admin.PostAsync($"/api/v1/access/keys/{id}:rotate", null, Ct);
        var rotated = await rotation.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var second = rotated.GetProperty("secret").GetString()!;
        var oldAfterRotation = await WriteAsync(first);
        var newAfterRotation = await WriteAsync(second);
        using var revocation = await admin.PostAsync($"/api/v1/access/keys/{rotated.GetProperty("key").GetProperty("id").GetString()}:revoke", null, Ct);
        var afterRevocation = await WriteAsync(second);
        var listing = await admin.GetStringAsync("/api/v1/access/keys?country=SLV&includeRevoked=true", Ct);
        using var badRole = await admin.PostAsJsonAsync("/api/v1/access/keys", new { name = "x", role = "admin", country = "FR" }, Ct);

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, before);
        Assert.Equal(HttpStatusCode.Unauthorized, oldAfterRotation);
        Assert.Equal(HttpStatusCode.OK, newAfterRotation);
        Assert.Equal(HttpStatusCode.OK, revocation.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevocation);
        var keys = JsonDocument.Parse(listing).RootElement.GetProperty("keys").EnumerateArray().ToArray();
        Assert.Equal(2, keys.Length);
        Assert.All(keys, k => Assert.False(string.IsNullOrEmpty(k.GetProperty("revokedAt").GetString())));
        Assert.DoesNotContain(first, listing, StringComparison.Ordinal);
        Assert.DoesNotContain(second, listing, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badRole.StatusCode);
        var logs = stack.Output(int.MaxValue);
        Assert.All([first, second, stack.SecretariatKey], secret => Assert.DoesNotContain(secret, logs, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_audit_trail_has_no_call_that_changes_it()
    {
        await PublishersAsync();
        using var admin = stack.Http(stack.SecretariatKey);
        var before = await admin.GetFromJsonAsync<JsonElement>("/api/v1/access/audit?pageSize=1000", Ct);

        using var post = await admin.PostAsJsonAsync("/api/v1/vacancies/audit", new { records = Array.Empty<object>() }, Ct);
        using var delete = await admin.DeleteAsync("/api/v1/access/audit", Ct);
        using var put = await admin.PutAsJsonAsync("/api/v1/taxonomy/audit", new { }, Ct);
        var after = await admin.GetFromJsonAsync<JsonElement>("/api/v1/access/audit?pageSize=1000", Ct);

        Assert.All([post, delete, put], r => Assert.True(r.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, r.StatusCode.ToString()));
        Assert.Equal(before.GetProperty("records").GetArrayLength(), after.GetProperty("records").GetArrayLength());
        Assert.Contains(after.GetProperty("records").EnumerateArray(), r => r.GetProperty("action").GetString() == "lmis.access.v1.AccessService/CreateApiKey"
            || r.GetProperty("action").GetString() == "POST /api/v1/access/keys");
    }

    [Fact]
    public async Task A_write_to_a_path_in_capitals_is_stored_and_audited_in_its_service_s_trail_like_any_other()
    {
        // A member state whose counts no other test of this stack asserts.
        using var unitedStates = stack.Http(await stack.PublisherKeyAsync("USA"));
        using var admin = stack.Http(stack.SecretariatKey);
        var sourceId = $"MT-{Guid.NewGuid():N}";

        // Routing matches paths in any case, so the audit trail must too: this answered 500 "no audit trail" before.
        using var published = await unitedStates.PostAsJsonAsync("/API/V1/VACANCIES",
            new { country = "USA", sourceId, title = "Albañil", occupationCode = "71", positions = 2 }, Ct);
        var body = await published.Content.ReadAsStringAsync(Ct);
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/vacancies/audit?country=USA&pageSize=200", Ct);
        var entries = audit.GetProperty("records").EnumerateArray()
            .Where(r => r.GetProperty("action").GetString() == "POST /API/V1/VACANCIES").ToArray();

        Assert.True(published.StatusCode == HttpStatusCode.OK, body);
        Assert.Contains("PUBLISH_OUTCOME_CREATED", body, StringComparison.Ordinal);
        Assert.Equal(["HTTP 200", "STARTED"], entries.Select(r => r.GetProperty("outcome").GetString()).Order(StringComparer.Ordinal));
        Assert.Single(entries.Select(r => r.GetProperty("callId").GetString()).Distinct());
    }
}
