using System.Net.Http.Json;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Lmis.BuildingBlocks.Security;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Testing;

namespace Lmis.EndToEnd.Tests;

/// <summary>
/// What a careless or hostile caller sends the public entry point, as bytes on the wire: credentials missing, doubled,
/// oversized, unprintable, forged or both at once; paths in other cases, with dot segments, escapes, doubled
/// slashes, far too long. Each is refused with the exact status and a plain sentence (nothing of how tokens are
/// checked), and nothing is written.
/// </summary>
[Collection(DistributedStackCollection.Name)]
public sealed class GatewayHostileInputTests(DistributedStack stack)
{
    private const string GatewayRefusal = "writes: send an API key in the X-Api-Key header or a bearer token.";
    private const string NoCredential = "send an API key in the X-Api-Key header or a bearer token.";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>One hostile request and the answer it must get: the status, and the problem's detail (null: no body expected).</summary>
    public sealed record Case(string Name, string Method, string Target, string[] Headers, int Status, string? Detail, bool Writes = true);

    private static string VacancyJson(string sourceId) => JsonSerializer.Serialize(new
    {
        country = "MEX",
        sourceId,
        title = "Albañil",
        language = "es",
        occupationCode = "7112",
        positions = 1,
    });

    private async Task<(long Vacancies, int Keys)> StoredAsync()
    {
        using var anonymous = stack.Http();
        using var admin = stack.Http(stack.SecretariatKey);
        var search = await anonymous.GetFromJsonAsync<JsonElement>("/api/v1/vacancies?country=MEX&includeTotal=true", Ct);
        var keys = await admin.GetFromJsonAsync<JsonElement>("/api/v1/access/keys?includeRevoked=true", Ct);
        return (search.GetProperty("total").GetInt64(), keys.GetProperty("keys").GetArrayLength());
    }

    private async Task<IReadOnlyList<Case>> HeaderCasesAsync()
    {
        var mexico = await stack.PublisherKeyAsync("MEX");
        var gatewayToken = TestCaller.Publisher("MEX").TokenSignedWith(stack.GatewayTokenKey);
        const string write = "/api/v1/vacancies";
        const string oneCredential = "Send one credential: an API key in one X-Api-Key header or one bearer token, not both.";
        return
        [
            new("no credential", "POST", write, [], 401, $"POST {write} {GatewayRefusal}"),
            new("X-Api-Key twice, the same valid key", "POST", write, [$"X-Api-Key: {mexico}", $"X-Api-Key: {mexico}"], 401, "Send one API key in one X-Api-Key header."),
            new("X-Api-Key twice, a valid key and junk", "POST", write, [$"X-Api-Key: {mexico}", "X-Api-Key: junk"], 401, "Send one API key in one X-Api-Key header."),
            new("X-Api-Key empty", "POST", write, ["X-Api-Key: "], 401, "The API key is not valid: it is empty or holds control characters."),
            new("X-Api-Key of 4,000 characters", "POST", write, ["X-Api-Key: lmis_" + new string('a', 4000)], 401, "The API key is not valid: it is unknown or has been revoked."),
            new("X-Api-Key with a tab inside", "POST", write, [$"X-Api-Key: {mexico[..10]}\t{mexico[10..]}"], 401, "The API key is not valid: it is empty or holds control characters."),
            new("X-Api-Key with a control character", "POST", write, [$"X-Api-Key: {mexico[..10]}\u0001{mexico[10..]}"], 401, "The API key is not valid: it is empty or holds control characters."),
            new("X-Api-Key with a NUL", "POST", write, [$"X-Api-Key: {mexico[..10]}\0{mexico[10..]}"], 400, null),
            new("a junk X-Api-Key on a read", "GET", "/api/v1/vacancies?country=MEX", ["X-Api-Key: lmis_junk"], 401, "The API key is not valid: it is unknown or has been revoked.", Writes: false),
            new("Authorization: Bearer with no token", "POST", write, ["Authorization: Bearer"], 401, "The Authorization header must be 'Bearer' followed by a token."),
            new("Authorization: Bearer and spaces", "POST", write, ["Authorization: Bearer    "], 401, "The Authorization header must be 'Bearer' followed by a token."),
            new("Authorization: Basic", "POST", write, ["Authorization: Basic bWV4OnNlY3JldA=="], 401, "The Authorization header must be 'Bearer' followed by a token."),
            new("a bearer token that is garbage", "POST", write, ["Authorization: Bearer abc.def"], 401, "The bearer token is not a JWT."),
            new("a gateway token with alg none", "POST", write, ["Authorization: Bearer " + ForgedTokens.WithoutSignature(GatewayTokens.Issuer, GatewayTokens.Audience)], 401, CredentialRefusals.NotValid),
            new("a gateway token with a junk signature", "POST", write, ["Authorization: Bearer " + ForgedTokens.JunkSignature(GatewayTokens.Issuer, GatewayTokens.Audience, "gateway-1")], 401, CredentialRefusals.NotValid),
            new("a gateway token signed with another secret", "POST", write, ["Authorization: Bearer " + ForgedTokens.GatewayTokenOfAnotherKey()], 401, CredentialRefusals.NotValid),
            new("an expired gateway token", "POST", write, ["Authorization: Bearer " + ForgedTokens.ExpiredGatewayToken(stack.GatewayTokenKey)], 401, CredentialRefusals.Expired),
            new("a token of an identity provider the gateway does not trust", "POST", write, ["Authorization: Bearer " + ForgedTokens.JunkSignature("https://id.example.org/rcm", "lmis", "rcm-1")], 401, "Bearer tokens from 'https://id.example.org/rcm' are not accepted here."),
            new("an API key and a bearer token at once", "POST", write, [$"X-Api-Key: {mexico}", "Authorization: Bearer " + gatewayToken], 401, oneCredential),
            new("two bearer tokens", "POST", write, ["Authorization: Bearer " + gatewayToken, "Authorization: Bearer " + gatewayToken], 401, oneCredential),
            new("a header of 40,000 characters", "POST", write, [$"X-Api-Key: {mexico}", "X-Filler: " + new string('x', 40_000)], 431, null),
        ];
    }

    private static IReadOnlyList<Case> PathCases() =>
    [
        new("REST path in capitals", "POST", "/API/V1/VACANCIES", [], 401, $"POST /API/V1/VACANCIES {GatewayRefusal}"),
        new("CSV upload path in mixed case", "POST", "/Api/V1/Vacancies:CSV", [], 401, $"POST /Api/V1/Vacancies:CSV {GatewayRefusal}"),
        new("trailing slash", "POST", "/api/v1/vacancies/", [], 401, $"POST /api/v1/vacancies/ {GatewayRefusal}"),
        new("doubled slash", "POST", "//api/v1/vacancies", [], 401, $"POST //api/v1/vacancies {GatewayRefusal}"),
        new("percent-encoded letters", "POST", "/api/v1/%76acancies", [], 401, $"POST /api/v1/vacancies {GatewayRefusal}"),
        new("dot segments up to the keys, a read", "GET", "/api/v1/vacancies/../access/keys", [], 401, $"GET /api/v1/access/keys needs a secretariat credential: {NoCredential}", Writes: false),
        new("dot segments up to the keys, a write", "POST", "/api/v1/vacancies/../access/keys", [], 401, $"POST /api/v1/access/keys needs a secretariat credential: {NoCredential}"),
        new("encoded dot segments up to the keys", "GET", "/api/v1/vacancies/%2e%2e/access/keys", [], 401, $"GET /api/v1/access/keys needs a secretariat credential: {NoCredential}", Writes: false),
        new("dot segments past the root", "POST", "/../../api/v1/vacancies", [], 401, $"POST /api/v1/vacancies {GatewayRefusal}"),
        new("a URL of 20,000 characters", "GET", "/api/v1/vacancies?country=MEX&q=" + new string('a', 20_000), [], 414, null, Writes: false),
    ];

    [Fact]
    public async Task Hostile_credential_headers_are_refused_with_the_exact_status_and_a_plain_reason_and_nothing_is_written()
    {
        stack.RequireRunning();
        var cases = await HeaderCasesAsync();
        var answers = await RunAsync(cases);

        AssertAnswers(cases, answers);
    }

    [Fact]
    public async Task Hostile_paths_are_refused_at_the_gateway_with_the_exact_status_and_nothing_is_written()
    {
        stack.RequireRunning();
        var cases = PathCases();
        var answers = await RunAsync(cases);

        AssertAnswers(cases, answers);
    }

    [Theory]
    [InlineData("/lmis.vacancies.v1.VacanciesService/publishVacancy")]
    [InlineData("/LMIS.VACANCIES.V1.VACANCIESSERVICE/PUBLISHVACANCY")]
    [InlineData("/lmis.vacancies.v1.VacanciesService/PublishVacancy/")]
    [InlineData("/lmis.vacancies.v1.VacanciesService/%50ublishVacancy")]
    [InlineData("/lmis.vacancies.v1.VacanciesService//PublishVacancy")]
    [InlineData("//lmis.vacancies.v1.VacanciesService/PublishVacancy")]
    [InlineData("/lmis.vacancies.v1.VacanciesService/PublishVacancy%2F")]
    [InlineData("/lmis.vacancies.v1.VacanciesService/Unknown")]
    public async Task An_anonymous_grpc_write_is_refused_at_the_gateway_however_its_path_is_spelled(string path)
    {
        stack.RequireRunning();
        var sourceId = $"SPELLING-{Guid.NewGuid():N}";
        var before = await StoredAsync();

        var answer = await RawHttp.GrpcAsync(stack.GrpcUrl, path, new PublishVacancyRequest
        {
            Vacancy = new Vacancy { Country = "MEX", SourceId = sourceId, Title = "Albañil", Language = "es", OccupationCode = "7112", Positions = 1 },
        }, Ct);

        Assert.Equal("16", answer.Status);
        Assert.EndsWith(" " + GatewayRefusal, answer.RawMessage);
        Assert.Equal(before, await StoredAsync());
        using var anonymous = stack.Http();
        using var lookup = await anonymous.GetAsync($"/api/v1/vacancies/MEX/{sourceId}", Ct);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task A_grpc_client_reads_a_refusal_in_plain_text_at_the_gateway_and_at_a_service()
    {
        stack.RequireRunning();
        const string method = "lmis.vacancies.v1.VacanciesService/PublishVacancy";
        var request = new PublishVacancyRequest { Vacancy = new Vacancy { Country = "MEX", SourceId = $"PLAIN-{Guid.NewGuid():N}", Title = "Albañil", OccupationCode = "7112", Positions = 1 } };
        using var gateway = stack.Grpc();
        using var service = GrpcChannel.ForAddress(stack.Vacancies.GrpcUrl);

        var atGateway = await Assert.ThrowsAsync<RpcException>(async () =>
            await new VacanciesService.VacanciesServiceClient(gateway).PublishVacancyAsync(request, cancellationToken: Ct));
        var atService = await Assert.ThrowsAsync<RpcException>(async () =>
            await new VacanciesService.VacanciesServiceClient(service).PublishVacancyAsync(request, cancellationToken: Ct));
        var rawAtGateway = await RawHttp.GrpcAsync(stack.GrpcUrl, "/" + method, request, Ct);
        var rawAtService = await RawHttp.GrpcAsync(stack.Vacancies.GrpcUrl, "/" + method, request, Ct);

        Assert.Equal((StatusCode.Unauthenticated, $"{method} {GatewayRefusal}"), (atGateway.StatusCode, atGateway.Status.Detail));
        Assert.Equal((StatusCode.Unauthenticated, $"{method} needs a publisher credential: {NoCredential}"), (atService.StatusCode, atService.Status.Detail));
        // On the wire, as every gRPC client must decode it: only what the protocol escapes is escaped.
        Assert.Equal($"{method} {GatewayRefusal}", rawAtGateway.RawMessage);
        Assert.Equal($"{method} needs a publisher credential: {NoCredential}", rawAtService.RawMessage);
    }

    [Fact]
    public async Task A_grpc_js_client_reads_a_refusal_in_plain_text_at_the_gateway_and_at_a_service()
    {
        stack.RequireRunning();
        const string method = "lmis.vacancies.v1.VacanciesService/PublishVacancy";
        var request = new PublishVacancyRequest { Vacancy = new Vacancy { Country = "MEX", SourceId = $"PLAIN-{Guid.NewGuid():N}", Title = "Albañil", OccupationCode = "7112", Positions = 1 } };

        var atGateway = await GrpcJs.CallAsync(stack.GrpcUrl, "/" + method, request.ToByteArray(), Ct);
        var atService = await GrpcJs.CallAsync(stack.Vacancies.GrpcUrl, "/" + method, request.ToByteArray(), Ct);

        Assert.Equal(new GrpcJs.Status((int)StatusCode.Unauthenticated, $"{method} {GatewayRefusal}"), atGateway);
        Assert.Equal(new GrpcJs.Status((int)StatusCode.Unauthenticated, $"{method} needs a publisher credential: {NoCredential}"), atService);
    }

    [Fact]
    public async Task Forged_tokens_straight_at_a_service_are_refused_in_plain_words_over_rest_and_grpc()
    {
        stack.RequireRunning();
        var tokens = new Dictionary<string, (string Token, string Answer)>
        {
            ["junk signature"] = (ForgedTokens.JunkSignature(GatewayTokens.Issuer, GatewayTokens.Audience, "gateway-1"), CredentialRefusals.NotValid),
            ["alg none"] = (ForgedTokens.WithoutSignature(GatewayTokens.Issuer, GatewayTokens.Audience), CredentialRefusals.NotValid),
            ["another secret"] = (ForgedTokens.GatewayTokenOfAnotherKey(), CredentialRefusals.NotValid),
            ["expired"] = (ForgedTokens.ExpiredGatewayToken(stack.GatewayTokenKey), CredentialRefusals.Expired),
        };
        var internals = ForgedTokens.Internals(stack.GatewayTokenKey, "gateway-1");
        var before = await StoredAsync();

        foreach (var (token, answer) in tokens.Values)
        {
            var sourceId = $"FORGED-{Guid.NewGuid():N}";
            var rest = await RawHttp.SendAsync(stack.Vacancies.HttpUrl, "POST", "/api/v1/vacancies", ["Authorization: Bearer " + token], VacancyJson(sourceId), Ct);
            var grpc = await RawHttp.GrpcAsync(stack.Vacancies.GrpcUrl, "/lmis.vacancies.v1.VacanciesService/PublishVacancy", new PublishVacancyRequest
            {
                Vacancy = new Vacancy { Country = "MEX", SourceId = sourceId, Title = "Albañil", OccupationCode = "7112", Positions = 1 },
            }, Ct, bearer: token);
            using var direct = GrpcChannel.ForAddress(stack.Statistics.GrpcUrl, new GrpcChannelOptions { HttpHandler = CredentialHandler.Bearer(token, new SocketsHttpHandler()) });
            var statistics = await Assert.ThrowsAsync<RpcException>(async () =>
                await new Contracts.Statistics.V1.StatisticsService.StatisticsServiceClient(direct).GetVacancyCountsAsync(new(), cancellationToken: Ct));

            Assert.Equal((401, answer), (rest.Status, rest.Detail));
            Assert.Equal(("16", answer), (grpc.Status, grpc.RawMessage));
            Assert.Equal((StatusCode.Unauthenticated, answer), (statistics.StatusCode, statistics.Status.Detail));
            Assert.All(internals, secret =>
            {
                Assert.DoesNotContain(secret, rest.Head + rest.Body, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(secret, grpc.RawMessage ?? string.Empty, StringComparison.OrdinalIgnoreCase);
            });
        }

        Assert.Equal(before, await StoredAsync());
    }

    private async Task<Dictionary<string, RawHttp.Answer>> RunAsync(IReadOnlyList<Case> cases)
    {
        var before = await StoredAsync();
        var answers = new Dictionary<string, RawHttp.Answer>(StringComparer.Ordinal);
        foreach (var test in cases)
        {
            answers[test.Name] = await RawHttp.SendAsync(stack.HttpUrl, test.Method, test.Target, test.Headers,
                test.Writes ? VacancyJson($"HOSTILE-{Guid.NewGuid():N}") : null, Ct);
        }

        Assert.Equal(before, await StoredAsync());
        return answers;
    }

    private void AssertAnswers(IReadOnlyList<Case> cases, Dictionary<string, RawHttp.Answer> answers)
    {
        var internals = ForgedTokens.Internals(stack.GatewayTokenKey, "gateway-1", "rcm-1");
        Assert.All(cases, test =>
        {
            var answer = answers[test.Name];
            Assert.True((test.Status, test.Detail) == (answer.Status, answer.Detail),
                $"{test.Name}: expected {test.Status} '{test.Detail}', got {answer.Status} '{answer.Detail}'\n{answer.Head}\n{answer.Body}");
            Assert.All(internals, secret => Assert.DoesNotContain(secret, answer.Head + answer.Body, StringComparison.OrdinalIgnoreCase));
        });
    }
}
