using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Lmis.BuildingBlocks.Security;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Taxonomy.Grpc;
using Lmis.Testing;
using Lmis.Vacancies.Grpc;
using Lmis.Vacancies.Tests.Api;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Lmis.Vacancies.Tests.Security;

/// <summary>
/// The vacancies service against what a careless or hostile caller sends: tokens from the identity provider that
/// are wrong in every way, oversized and endless input, malformed protobuf, absurd numbers, deeply nested JSON.
/// Each gets a clear refusal, and nothing is stored.
/// </summary>
public sealed class HardeningTests : IAsyncLifetime
{
    private const string Issuer = "https://id.example.org/rcm";
    private const string Audience = "lmis";

    private readonly RSA _signingKey = RSA.Create(2048);
    private readonly ServiceHost<TaxonomyGrpcService> _taxonomy = new();
    private ServiceHost<VacanciesGrpcService> _vacancies = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await new TaxonomyService.TaxonomyServiceClient(_taxonomy.GrpcChannel(TestCaller.Secretariat))
            .ImportSchemeVersionAsync(IscoSample.ImportRequest(), cancellationToken: Ct);
        var parameters = _signingKey.ExportParameters(false);
        var jwks = JsonSerializer.Serialize(new
        {
            keys = new[]
            {
                new { kty = "RSA", use = "sig", alg = "RS256", kid = "rcm-1", n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) },
            },
        });
        _vacancies = (ServiceHost<VacanciesGrpcService>)VacanciesApiTests.UsingTaxonomy(new ServiceHost<VacanciesGrpcService>(), _taxonomy)
            .WithSetting("Lmis:Security:Jwt:Issuer", Issuer)
            .WithSetting("Lmis:Security:Jwt:Audience", Audience)
            .WithSetting("Lmis:Security:Jwt:SigningKeys", jwks)
            .WithSetting("Lmis:Limits:MessageMaxBytes", "65536")
            .WithSetting("Lmis:Limits:FeedMaxItems", "3")
            .WithSetting("Lmis:Limits:FeedIdleSeconds", "1")
            .WithSetting("Lmis:Limits:CsvMaxBytes", "4096");
    }

    public async ValueTask DisposeAsync()
    {
        await _vacancies.DisposeAsync();
        await _taxonomy.DisposeAsync();
        _signingKey.Dispose();
    }

    private string Token(IDictionary<string, object> claims, string audience = Audience, DateTime? expires = null, RSA? key = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Claims = claims,
            NotBefore = (expires ?? DateTime.UtcNow.AddMinutes(5)).AddMinutes(-10),
            Expires = expires ?? DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key ?? _signingKey) { KeyId = "rcm-1" }, SecurityAlgorithms.RsaSha256),
        });

    private static Dictionary<string, object> Claims(string role, string? country) =>
        country is null
            ? new() { ["sub"] = "stps-feed", ["role"] = role }
            : new() { ["sub"] = "stps-feed", ["role"] = role, ["country"] = country };

    private HttpClient Http(string? token)
    {
        var http = _vacancies.CreateClient();
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    private static object Vacancy(string sourceId, string country = "MEX", object? positions = null, object? wageMin = null) => new
    {
        country,
        sourceId,
        title = "Albañil",
        language = "es",
        occupationCode = "7112",
        positions = positions ?? 2,
        wage = new { min = wageMin ?? 9000, max = 12000, currency = "MXN", period = "month" },
    };

    private async Task<HttpStatusCode> StoredAsync(string sourceId, string country = "MEX")
    {
        using var lookup = await _vacancies.CreateClient().GetAsync($"/api/v1/vacancies/{country}/{sourceId}", Ct);
        return lookup.StatusCode;
    }

    [Fact]
    public async Task Identity_provider_tokens_publish_for_their_member_state_and_every_bad_token_is_refused_saying_why()
    {
        var good = Token(Claims(AccessRoles.Publisher, "MX"));
        var tokens = new Dictionary<string, string>
        {
            ["other member state"] = good,
            ["wrong audience"] = Token(Claims(AccessRoles.Publisher, "MX"), audience: "someone-else"),
            ["expired"] = Token(Claims(AccessRoles.Publisher, "MX"), expires: DateTime.UtcNow.AddMinutes(-10)),
            ["other signer"] = Token(Claims(AccessRoles.Publisher, "MX"), key: RSA.Create(2048)),
            ["no member state"] = Token(Claims(AccessRoles.Publisher, "FRA")),
            ["unknown role"] = Token(Claims("admin", "MX")),
            ["secretariat"] = Token(Claims(AccessRoles.Secretariat, null)),
            ["not a JWT"] = "abc.def",
        };

        using var accepted = await Http(good).PostAsJsonAsync("/api/v1/vacancies", Vacancy("JWT-1"), Ct);
        var refused = new Dictionary<string, (HttpStatusCode Status, string Detail)>();
        foreach (var (name, token) in tokens)
        {
            var sourceId = $"JWT-{name.Replace(' ', '-')}";
            using var response = await Http(token).PostAsJsonAsync("/api/v1/vacancies", Vacancy(sourceId, country: name == "other member state" ? "GTM" : "MEX"), Ct);
            var detail = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString()!;
            refused[name] = (response.StatusCode, detail);
            Assert.Equal(HttpStatusCode.NotFound, await StoredAsync(sourceId, name == "other member state" ? "GTM" : "MEX"));
        }

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused["other member state"].Status);
        Assert.Contains("publishes MEX's vacancies only", refused["other member state"].Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, refused["secretariat"].Status);
        Assert.Contains("is for the publisher", refused["secretariat"].Detail, StringComparison.Ordinal);
        Assert.Contains("needs a 'country' claim naming a member state", refused["no member state"].Detail, StringComparison.Ordinal);
        Assert.Contains("'role' claim must be publisher or secretariat", refused["unknown role"].Detail, StringComparison.Ordinal);
        Assert.Contains("not a JWT", refused["not a JWT"].Detail, StringComparison.Ordinal);
        Assert.All(["wrong audience", "expired", "other signer", "no member state", "unknown role", "not a JWT"],
            name => Assert.Equal(HttpStatusCode.Unauthorized, refused[name].Status));
    }

    [Fact]
    public async Task Forged_expired_and_unsigned_tokens_are_refused_in_plain_words_that_reveal_nothing_of_the_keys_over_rest_and_grpc()
    {
        var tokens = new Dictionary<string, (string Token, string Answer)>
        {
            ["gateway, junk signature"] = (ForgedTokens.JunkSignature(GatewayTokens.Issuer, GatewayTokens.Audience), CredentialRefusals.NotValid),
            ["gateway, junk signature naming a key"] = (ForgedTokens.JunkSignature(GatewayTokens.Issuer, GatewayTokens.Audience, keyId: "gateway-1"), CredentialRefusals.NotValid),
            ["gateway, alg none"] = (ForgedTokens.WithoutSignature(GatewayTokens.Issuer, GatewayTokens.Audience), CredentialRefusals.NotValid),
            ["gateway, another secret"] = (ForgedTokens.GatewayTokenOfAnotherKey(), CredentialRefusals.NotValid),
            ["gateway, expired"] = (ForgedTokens.ExpiredGatewayToken(_vacancies.GatewayTokenKey), CredentialRefusals.Expired),
            ["identity provider, junk signature"] = (ForgedTokens.JunkSignature(Issuer, Audience, keyId: "rcm-1"), CredentialRefusals.NotValid),
            ["identity provider, alg none"] = (ForgedTokens.WithoutSignature(Issuer, Audience), CredentialRefusals.NotValid),
            ["identity provider, other signer"] = (Token(Claims(AccessRoles.Publisher, "MX"), key: RSA.Create(2048)), CredentialRefusals.NotValid),
            ["identity provider, expired"] = (Token(Claims(AccessRoles.Publisher, "MX"), expires: DateTime.UtcNow.AddMinutes(-10)), CredentialRefusals.Expired),
        };
        var internals = ForgedTokens.Internals(_vacancies.GatewayTokenKey, "rcm-1", "gateway-1");

        foreach (var (name, (token, answer)) in tokens)
        {
            var sourceId = $"FORGED-{name.Replace(' ', '-').Replace(",", string.Empty, StringComparison.Ordinal)}";
            using var rest = await Http(token).PostAsJsonAsync("/api/v1/vacancies", Vacancy(sourceId), Ct);
            var restText = await rest.Content.ReadAsStringAsync(Ct);
            var restChallenge = string.Join(' ', rest.Headers.WwwAuthenticate.Select(h => h.ToString()));
            using var channel = GrpcChannel.ForAddress(_vacancies.Server.BaseAddress, new GrpcChannelOptions
            {
                HttpHandler = CredentialHandler.Bearer(token, _vacancies.Server.CreateHandler()),
            });
            var grpc = await Assert.ThrowsAsync<RpcException>(async () => await new VacanciesService.VacanciesServiceClient(channel)
                .PublishVacancyAsync(new PublishVacancyRequest { Vacancy = new() { Country = "MEX", SourceId = sourceId, Title = "Albañil", OccupationCode = "7112", Positions = 1 } }, cancellationToken: Ct));

            Assert.Equal((HttpStatusCode.Unauthorized, answer), (rest.StatusCode, JsonDocument.Parse(restText).RootElement.GetProperty("detail").GetString()));
            Assert.Equal((StatusCode.Unauthenticated, answer), (grpc.StatusCode, grpc.Status.Detail));
            Assert.All(internals, secret =>
            {
                Assert.DoesNotContain(secret, restText, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(secret, restChallenge, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(secret, grpc.Status.Detail, StringComparison.OrdinalIgnoreCase);
            });
            Assert.Equal(HttpStatusCode.NotFound, await StoredAsync(sourceId));
        }
    }

    [Fact]
    public async Task Oversized_messages_overlong_feeds_stalled_feeds_and_oversized_csv_are_refused()
    {
        var client = new VacanciesService.VacanciesServiceClient(_vacancies.GrpcChannel(TestCaller.Publisher("MEX")));
        Contracts.Vacancies.V1.Vacancy Item(string id) => new() { Country = "MEX", SourceId = id, Title = "Albañil", OccupationCode = "7112", Positions = 1 };

        var huge = Item("BIG-1");
        huge.Description = new string('x', 100_000);
        var oversized = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.PublishVacancyAsync(new PublishVacancyRequest { Vacancy = huge }, cancellationToken: Ct));

        var overlong = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = client.PublishVacancies(cancellationToken: Ct);
            for (var i = 0; i < 5; i++)
            {
                await call.RequestStream.WriteAsync(new PublishVacancyRequest { Vacancy = Item($"LONG-{i}") }, Ct);
            }

            await call.RequestStream.CompleteAsync();
            await call;
        });

        var stalled = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = client.PublishVacancies(cancellationToken: Ct);
            await call.RequestStream.WriteAsync(new PublishVacancyRequest { Vacancy = Item("SLOW-1") }, Ct);
            await Task.Delay(TimeSpan.FromSeconds(3), Ct);
            await call;
        });

        var rows = string.Concat(Enumerable.Range(0, 200).Select(i => $"MX,CSV-{i},Albañil,7112,1\n"));
        using var csv = await _vacancies.CreateClient(TestCaller.Publisher("MEX")).PostAsync("/api/v1/vacancies:csv",
            new StringContent("country,source_id,title,occupation_code,positions\n" + rows, Encoding.UTF8, "text/csv"), Ct);

        Assert.Equal(StatusCode.ResourceExhausted, oversized.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, await StoredAsync("BIG-1"));
        Assert.Equal(StatusCode.ResourceExhausted, overlong.StatusCode);
        Assert.Contains("A feed holds at most 3 vacancies", overlong.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await StoredAsync("LONG-4"));
        Assert.Equal(StatusCode.DeadlineExceeded, stalled.StatusCode);
        Assert.Contains("No vacancy arrived for 1 s", stalled.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, csv.StatusCode);
        Assert.Contains("at most", (await csv.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await StoredAsync("CSV-199"));
    }

    [Fact]
    public async Task Malformed_protobuf_truncated_frames_absurd_numbers_and_deeply_nested_json_get_clear_errors_and_store_nothing()
    {
        using var grpc = _vacancies.CreateClient(TestCaller.Publisher("MEX"));
        async Task<(HttpStatusCode Http, string? Status, string? Message)> SendFrameAsync(byte[] frame)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/lmis.vacancies.v1.VacanciesService/PublishVacancy")
            {
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                Content = new ByteArrayContent(frame),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
            request.Headers.TryAddWithoutValidation("TE", "trailers");
            using var response = await grpc.SendAsync(request, Ct);
            await response.Content.ReadAsByteArrayAsync(Ct);
            string? Header(string name) =>
                response.TrailingHeaders.TryGetValues(name, out var trailer) ? trailer.First()
                : response.Headers.TryGetValues(name, out var header) ? header.First() : null;
            return (response.StatusCode, Header("grpc-status"), Header("grpc-message"));
        }

        // A frame header announcing 5 bytes of field 1 (a message) that holds garbage, then one that ends early.
        var garbage = await SendFrameAsync([0, 0, 0, 0, 5, 0x0A, 0x7F, 0xFF, 0xFF, 0xFF]);
        var truncated = await SendFrameAsync([0, 0, 0, 0, 100, 0x0A, 0x02]);

        using var http = _vacancies.CreateClient(TestCaller.Publisher("MEX"));
        using var hugePositions = await http.PostAsJsonAsync("/api/v1/vacancies", Vacancy("ABS-1", positions: 99_999_999_999L), Ct);
        using var negativePositions = await http.PostAsJsonAsync("/api/v1/vacancies", Vacancy("ABS-2", positions: -5), Ct);
        using var absurdWage = await http.PostAsJsonAsync("/api/v1/vacancies", Vacancy("ABS-3", wageMin: 1e308), Ct);
        var nested = "{\"vacancy\":{\"title\":" + new string('[', 5000) + new string(']', 5000) + "}}";
        using var deep = await http.PostAsync("/api/v1/vacancies", new StringContent(nested, Encoding.UTF8, "application/json"), Ct);

        Assert.NotEqual("0", garbage.Status);
        Assert.NotNull(garbage.Status);
        Assert.NotEqual("0", truncated.Status);
        Assert.NotNull(truncated.Status);
        Assert.All([hugePositions, negativePositions, absurdWage, deep], response =>
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        });
        foreach (var id in new[] { "ABS-1", "ABS-2", "ABS-3" })
        {
            Assert.Equal(HttpStatusCode.NotFound, await StoredAsync(id));
        }

        var search = await _vacancies.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/vacancies?country=MEX&includeTotal=true", Ct);
        Assert.Equal(0, search.GetProperty("total").GetInt64());
    }
}
