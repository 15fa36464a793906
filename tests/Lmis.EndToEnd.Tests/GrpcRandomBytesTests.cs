using System.Net.Http.Json;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Lmis.Contracts.Access.V1;
using Lmis.Contracts.Statistics.V1;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Testing;

namespace Lmis.EndToEnd.Tests;

/// <summary>
/// Random and malformed gRPC request bytes at the public entry point, over real HTTP/2: every method of the access
/// service (which the entry point hosts itself), a seeded sample of every service's methods behind it, and methods
/// nobody offers. Each is answered with a gRPC status about the request, passed through from the service that
/// refused it; nothing stored changes, but for a feed's whole vacancies before a broken message, which stay.
/// </summary>
public abstract class GrpcRandomBytes(IRunningStack stack)
{
    /// <summary>Written here only: other tests count the vacancies of the member states they use.</summary>
    private const string Country = "BLZ";

    private const int CasesPerMethod = 40;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract void RequireRunning();

    private static HttpClient Client(string? apiKey)
    {
        var handler = new SocketsHttpHandler();
        return new HttpClient(apiKey is null ? handler : CredentialHandler.ApiKey(apiKey, handler)) { Timeout = TimeSpan.FromSeconds(20) };
    }

    private async Task<(long Vacancies, int Keys)> StoredAsync()
    {
        using var admin = stack.Http(stack.SecretariatKey);
        var search = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/vacancies?country={Country}&includeTotal=true", Ct);
        var keys = await admin.GetFromJsonAsync<JsonElement>("/api/v1/access/keys?includeRevoked=true", Ct);
        return (search.GetProperty("total").GetInt64(), keys.GetProperty("keys").GetArrayLength());
    }

    [Fact]
    public async Task Garbage_to_the_entry_point_is_answered_with_a_status_about_the_request_and_stores_nothing()
    {
        RequireRunning();
        using var secretariat = Client(stack.SecretariatKey);
        using var publisher = Client(await stack.PublisherKeyAsync(Country));
        var before = await StoredAsync();
        var random = new Random(GrpcGarbage.Seed);

        // The access service whole; of each service behind the entry point, three methods drawn by the seed, and
        // always the feed (the one client-streaming method of vacancies).
        var methods = AccessService.Descriptor.Methods
            .Concat(new[] { TaxonomyService.Descriptor, VacanciesService.Descriptor, StatisticsService.Descriptor }
                .SelectMany(service => service.Methods.OrderBy(_ => random.Next()).Take(3)))
            .Append(VacanciesService.Descriptor.FindMethodByName("PublishVacancies"))
            .DistinctBy(m => m.FullName)
            .ToList();
        var notGraceful = new List<string>();
        var sent = 0;
        foreach (var method in methods)
        {
            var http = method.Service == VacanciesService.Descriptor && IsWrite(method) || method.Name == "UploadObservations" ? publisher : secretariat;
            foreach (var @case in GrpcGarbage.CasesFor(method.InputType, random, CasesPerMethod))
            {
                var answer = await GrpcGarbage.SendAsync(http, $"{stack.GrpcUrl.TrimEnd('/')}/{method.Service.FullName}/{method.Name}", @case.Body, @case.Encoding, Ct);
                sent++;
                var problem = answer.IsSuccess && @case.MayBeValid ? null : !answer.IsGraceful ? "not graceful" : GrpcGarbage.Expected(method, @case, answer);
                if (problem is not null)
                {
                    notGraceful.Add($"{method.FullName} ← {@case} → {answer} ({problem}; seed {GrpcGarbage.Seed})");
                }
            }
        }

        Assert.True(notGraceful.Count == 0, $"{notGraceful.Count} of {sent}: {GrpcGarbage.Summary(notGraceful)}\n" + string.Join("\n", notGraceful.Take(25)) + "\n" + stack.Output());
        Assert.Equal(before, await StoredAsync());
    }

    private static bool IsWrite(MethodDescriptor method) => method.Name is "PublishVacancy" or "PublishVacancies" or "CloseVacancy";

    [Fact]
    public async Task Garbage_to_a_method_or_service_nobody_offers_is_unimplemented_and_anonymous_garbage_is_unauthenticated()
    {
        RequireRunning();
        using var anonymous = Client(null);
        var random = new Random(GrpcGarbage.Seed + 7);
        string[] paths = ["/lmis.vacancies.v1.VacanciesService/DropEverything", "/lmis.nowhere.v1.Nothing/Call", "/lmis.access.v1.AccessService/Nothing"];
        foreach (var path in paths)
        {
            for (var i = 0; i < 10; i++)
            {
                var @case = GrpcGarbage.Make((GrpcGarbage.Kind)(i % 6), Empty.Descriptor, random);
                var answer = await GrpcGarbage.SendAsync(anonymous, stack.GrpcUrl.TrimEnd('/') + path, @case.Body, @case.Encoding, Ct);
                Assert.True(answer.IsGraceful && answer.GrpcStatus is "12" or "16", $"{path} ← {@case} → {answer}");
            }
        }

        for (var i = 0; i < 20; i++)
        {
            var @case = GrpcGarbage.Make((GrpcGarbage.Kind)(i % 6), PublishVacancyRequest.Descriptor, random);
            var answer = await GrpcGarbage.SendAsync(anonymous, stack.GrpcUrl.TrimEnd('/') + "/lmis.vacancies.v1.VacanciesService/PublishVacancy", @case.Body, @case.Encoding, Ct);
            Assert.True(answer.IsGraceful && answer.GrpcStatus == "16", $"{@case} → {answer}");
        }
    }

    [Fact]
    public async Task A_message_beyond_the_limit_sent_whole_is_resource_exhausted_not_a_broken_connection()
    {
        RequireRunning();
        using var secretariat = Client(stack.SecretariatKey);
        using var publisher = Client(await stack.PublisherKeyAsync(Country));
        var random = new Random(GrpcGarbage.Seed + 5);
        var payload = new byte[GrpcGarbage.MessageMaxBytes + 1 + random.Next(1024)];
        random.NextBytes(payload);
        foreach (var (http, path) in new[]
        {
            (publisher, "/lmis.vacancies.v1.VacanciesService/PublishVacancy"),
            (publisher, "/lmis.vacancies.v1.VacanciesService/PublishVacancies"),
            (secretariat, "/lmis.taxonomy.v1.TaxonomyService/ImportSchemeVersionCsv"),
            (secretariat, "/lmis.access.v1.AccessService/CreateApiKey"),
        })
        {
            var answer = await GrpcGarbage.SendAsync(http, stack.GrpcUrl.TrimEnd('/') + path, GrpcGarbage.Frame(payload), null, Ct);

            Assert.True(answer.IsGraceful && answer.GrpcStatus == "8", $"{path}: {answer}");
        }
    }

    [Fact]
    public async Task A_feed_broken_by_a_garbage_frame_keeps_the_vacancies_before_it_and_the_status_says_so()
    {
        RequireRunning();
        using var publisher = Client(await stack.PublisherKeyAsync(Country));
        using (var admin = stack.Grpc(stack.SecretariatKey))
        {
            // The occupations the vacancies are checked against (importing the same version again changes nothing).
            await new TaxonomyService.TaxonomyServiceClient(admin).ImportSchemeVersionAsync(IscoSample.ImportRequest(), cancellationToken: Ct);
        }

        var random = new Random(GrpcGarbage.Seed + 3);
        var round = Guid.NewGuid().ToString("N")[..8];
        var ids = Enumerable.Range(0, 3).Select(i => $"RND-{round}-{i}").ToList();
        var broken = GrpcGarbage.Make(GrpcGarbage.Kind.GarbagePayload, PublishVacancyRequest.Descriptor, random);
        var body = ids.SelectMany(id => GrpcGarbage.Frame(new PublishVacancyRequest
        {
            Vacancy = new Vacancy
            {
                Country = Country,
                SourceId = id,
                Title = "Worker",
                Language = "en",
                OccupationCode = "7112",
                Positions = 1,
                DatePosted = "2026-10-01",
            },
        }.ToByteArray())).Concat(broken.Body).ToArray();

        var answer = await GrpcGarbage.SendAsync(publisher, stack.GrpcUrl.TrimEnd('/') + "/lmis.vacancies.v1.VacanciesService/PublishVacancies", body, null, Ct);

        Assert.True(answer.IsGraceful && answer.GrpcStatus == "3", $"{broken} → {answer}\n{stack.Output()}");
        Assert.True(answer.GrpcMessage!.Contains("message 4 of the request is not a valid PublishVacancyRequest message", StringComparison.Ordinal)
            && answer.GrpcMessage.Contains("the 3 items read before were 3 published, 0 refused", StringComparison.Ordinal), answer.GrpcMessage);
        using var http = stack.Http();
        foreach (var id in ids)
        {
            using var stored = await http.GetAsync($"/api/v1/vacancies/{Country}/{id}", Ct);
            Assert.True(stored.IsSuccessStatusCode, $"{id}: {(int)stored.StatusCode}");
        }
    }
}

/// <summary>Through the gateway of the distributed stack.</summary>
[Collection(DistributedStackCollection.Name)]
public sealed class GatewayGrpcRandomBytesTests(DistributedStack stack) : GrpcRandomBytes(stack)
{
    protected override void RequireRunning() => stack.RequireRunning();
}

/// <summary>At the standalone host, which serves every service itself.</summary>
public sealed class StandaloneGrpcRandomBytesTests(StandaloneStack stack) : GrpcRandomBytes(stack), IClassFixture<StandaloneStack>
{
    protected override void RequireRunning()
    {
    }
}
