using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Lmis.BuildingBlocks.Security;
using Lmis.Contracts.Statistics.V1;
using Lmis.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Lmis.EndToEnd.Tests;

/// <summary>
/// The gateway in front of a service that is down: callers get a clear answer at once, not a hang; and a token the
/// gateway must refuse is refused by the gateway itself, in plain words, before any service is asked.
/// </summary>
public sealed class GatewayTests : IAsyncLifetime
{
    private const string Issuer = "https://id.example.org/rcm";
    private const string Audience = "lmis";

    private readonly TempDirectory _data = new("gateway");
    private readonly RSA _identityProviderKey = RSA.Create(2048);
    private readonly string _gatewayTokenKey = TestCaller.NewGatewayTokenKey();
    private ServiceProcess _gateway = null!;

    public async ValueTask InitializeAsync()
    {
        // Nothing listens on these ports: every destination is a dead backend.
        string Dead() => $"http://127.0.0.1:{FreePort.Next()}";
        _gateway = ServiceProcess.Start("gateway", Repository.Binary("gateway", "Lmis.Gateway"), new Dictionary<string, string>
        {
            ["services__taxonomy__http__0"] = Dead(),
            ["services__taxonomy__grpc__0"] = Dead(),
            ["services__vacancies__http__0"] = Dead(),
            ["services__vacancies__grpc__0"] = Dead(),
            ["services__statistics__http__0"] = Dead(),
            ["services__statistics__grpc__0"] = Dead(),
            ["Lmis__Security__GatewayTokenKey"] = _gatewayTokenKey,
            ["Lmis__Security__Jwt__Issuer"] = Issuer,
            ["Lmis__Security__Jwt__Audience"] = Audience,
            ["Lmis__Security__Jwt__SigningKeys"] = Jwks(_identityProviderKey, "rcm-1"),
            ["Lmis__DataDirectory"] = _data.Path,
        });
        try
        {
            await _gateway.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await _gateway.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _data.Dispose();
        _identityProviderKey.Dispose();
    }

    private static string Jwks(RSA key, string keyId)
    {
        var parameters = key.ExportParameters(false);
        return JsonSerializer.Serialize(new
        {
            keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = keyId, n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) } },
        });
    }

    private static string IdentityProviderToken(RSA key, DateTime expires) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = Audience,
        Claims = new Dictionary<string, object> { ["sub"] = "stps-feed", ["role"] = "publisher", ["country"] = "MEX" },
        NotBefore = expires.AddMinutes(-10),
        Expires = expires,
        SigningCredentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = "rcm-1" }, SecurityAlgorithms.RsaSha256),
    });

    [Fact]
    public async Task With_the_services_down_the_API_document_is_a_503_naming_them_not_a_document_with_parts_missing()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_gateway.HttpUrl), Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync(ApiDocumentChecks.Path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("detail").GetString();
        Assert.All(["taxonomy", "vacancies", "statistics"], service => Assert.Contains(service, detail, StringComparison.Ordinal));

        // The interactive reference is the gateway's own page: it still answers.
        using var reference = await http.GetAsync("/api/reference/v1", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
    }

    [Fact]
    public async Task Forged_and_expired_tokens_are_refused_by_the_gateway_in_plain_words_over_rest_and_grpc()
    {
        var ct = TestContext.Current.CancellationToken;
        using var otherSigner = RSA.Create(2048);
        var tokens = new Dictionary<string, (string Token, string Answer)>
        {
            ["identity provider, junk signature"] = (ForgedTokens.JunkSignature(Issuer, Audience, "rcm-1"), CredentialRefusals.NotValid),
            ["identity provider, alg none"] = (ForgedTokens.WithoutSignature(Issuer, Audience), CredentialRefusals.NotValid),
            ["identity provider, other signer"] = (IdentityProviderToken(otherSigner, DateTime.UtcNow.AddMinutes(5)), CredentialRefusals.NotValid),
            ["identity provider, expired"] = (IdentityProviderToken(_identityProviderKey, DateTime.UtcNow.AddMinutes(-10)), CredentialRefusals.Expired),
            ["gateway, junk signature"] = (ForgedTokens.JunkSignature(GatewayTokens.Issuer, GatewayTokens.Audience, "gateway-1"), CredentialRefusals.NotValid),
            ["gateway, alg none"] = (ForgedTokens.WithoutSignature(GatewayTokens.Issuer, GatewayTokens.Audience), CredentialRefusals.NotValid),
            ["gateway, expired"] = (ForgedTokens.ExpiredGatewayToken(_gatewayTokenKey), CredentialRefusals.Expired),
        };
        var internals = ForgedTokens.Internals(_gatewayTokenKey, "rcm-1", "gateway-1");

        foreach (var (name, (token, answer)) in tokens)
        {
            var rest = await RawHttp.SendAsync(_gateway.HttpUrl, "GET", "/api/v1/statistics/vacancy-counts", ["Authorization: Bearer " + token], null, ct);
            var grpc = await RawHttp.GrpcAsync(_gateway.GrpcUrl, "/lmis.statistics.v1.StatisticsService/GetVacancyCounts", new GetVacancyCountsRequest(), ct, bearer: token);

            Assert.True((401, answer) == (rest.Status, rest.Detail), $"{name}: {rest.Head}\n{rest.Body}");
            Assert.True(("16", answer) == (grpc.Status, grpc.RawMessage), $"{name}: {grpc}");
            Assert.All(internals, secret =>
            {
                Assert.DoesNotContain(secret, rest.Head + rest.Body, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(secret, grpc.RawMessage ?? string.Empty, StringComparison.OrdinalIgnoreCase);
            });
        }

        Assert.Contains("IDX", _gateway.Output(int.MaxValue), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dead_backend_is_a_502_problem_for_rest_callers()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient { BaseAddress = new Uri(_gateway.HttpUrl), Timeout = TimeSpan.FromSeconds(20) };

        using var response = await http.GetAsync("/api/v1/statistics/vacancy-counts", ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("statistics service is unavailable", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dead_backend_is_unavailable_with_a_reason_for_grpc_callers()
    {
        var ct = TestContext.Current.CancellationToken;
        using var channel = GrpcChannel.ForAddress(_gateway.GrpcUrl);
        var client = new StatisticsService.StatisticsServiceClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.GetVacancyCountsAsync(new GetVacancyCountsRequest(), deadline: DateTime.UtcNow.AddSeconds(20), cancellationToken: ct));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("statistics service is unavailable", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dead_backend_s_reason_travels_in_plain_text_as_grpc_clients_decode_it()
    {
        var ct = TestContext.Current.CancellationToken;

        var answer = await RawHttp.GrpcAsync(_gateway.GrpcUrl, "/lmis.statistics.v1.StatisticsService/GetVacancyCounts", new GetVacancyCountsRequest(), ct);

        Assert.Equal("14", answer.Status);
        Assert.Matches(@"^The statistics service is unavailable \([A-Za-z]+\)\. Try again shortly\.$", answer.RawMessage);
    }

    [Fact]
    public async Task The_secretariat_key_file_of_a_fresh_gateway_holds_the_rotated_secret_and_goes_when_the_key_is_revoked()
    {
        var ct = TestContext.Current.CancellationToken;
        var file = Path.Combine(_data.Path, "secretariat.key");
        var first = (await File.ReadAllTextAsync(file, ct)).Trim();
        HttpClient Admin(string key) => new(CredentialHandler.ApiKey(key, new SocketsHttpHandler())) { BaseAddress = new Uri(_gateway.HttpUrl) };
        using var admin = Admin(first);
        var keys = await admin.GetFromJsonAsync<JsonElement>("/api/v1/access/keys", ct);
        var id = Assert.Single(keys.GetProperty("keys").EnumerateArray()).GetProperty("id").GetString();

        using var rotation = await admin.PostAsync($"/api/v1/access/keys/{id}:rotate", null, ct);
        var rotated = await rotation.Content.ReadFromJsonAsync<JsonElement>(ct);
        var second = rotated.GetProperty("secret").GetString()!;
        var inFile = (await File.ReadAllTextAsync(file, ct)).Trim();
        using var oldKey = await admin.GetAsync("/api/v1/access/keys", ct);
        using var newAdmin = Admin(second);
        using var revocation = await newAdmin.PostAsync($"/api/v1/access/keys/{rotated.GetProperty("key").GetProperty("id").GetString()}:revoke", null, ct);

        Assert.Equal(HttpStatusCode.OK, rotation.StatusCode);
        Assert.Equal(second, inFile);
        Assert.Equal(HttpStatusCode.Unauthorized, oldKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, revocation.StatusCode);
        Assert.False(File.Exists(file));
        Assert.Empty(Directory.GetFiles(_data.Path, "*.tmp"));
        Assert.DoesNotContain(second, _gateway.Output(int.MaxValue), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_gateway_refuses_to_start_without_knowing_where_the_services_are()
    {
        await using var gateway = ServiceProcess.Start("gateway-unconfigured", Repository.Binary("gateway", "Lmis.Gateway"), new Dictionary<string, string>());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => gateway.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains("exited", error.Message, StringComparison.Ordinal);
        Assert.Contains("services:taxonomy:http:0", error.Message, StringComparison.Ordinal);
    }
}
