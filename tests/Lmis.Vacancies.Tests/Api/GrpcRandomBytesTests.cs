using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Taxonomy.Grpc;
using Lmis.Testing;
using Lmis.Vacancies.Grpc;

namespace Lmis.Vacancies.Tests.Api;

/// <summary>
/// Random and malformed bytes sent as gRPC requests to every method of the vacancies and taxonomy services: each
/// is answered with a status that says what was wrong with the request (never INTERNAL or UNKNOWN, never a failed
/// connection), and nothing stored changes. A feed with a broken frame keeps, and counts, what came before it.
/// </summary>
public sealed class GrpcRandomBytesTests : IAsyncLifetime
{
    private const string Country = "PAN";

    private readonly VacanciesInProcess _service = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _service.InitializeAsync();
        // One vacancy already stored: no garbage may change it.
        var grpc = new VacanciesService.VacanciesServiceClient(_service.Vacancies.GrpcChannel(TestCaller.Publisher(Country)));
        await grpc.PublishVacancyAsync(Item("STORED-1"), cancellationToken: Ct);
    }

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    private static Func<MethodDescriptor, HttpClient> Clients<T>(ServiceHost<T> host, Type implementation)
        where T : class
    {
        var clients = new Dictionary<string, HttpClient>(StringComparer.Ordinal);
        return method =>
        {
            var caller = GrpcGarbage.CallerFor(implementation, method, Country);
            return clients.TryGetValue(caller.Subject, out var client) ? client : clients[caller.Subject] = host.CreateClient(caller);
        };
    }

    [Fact]
    public async Task Every_vacancies_method_answers_garbage_with_a_status_about_the_request_and_stores_nothing()
    {
        var before = GrpcGarbage.StoredRows(_service.Vacancies.DataDirectory);

        var (sent, notGraceful) = await GrpcGarbage.SendToEveryMethodAsync(
            VacanciesService.Descriptor, Clients(_service.Vacancies, typeof(VacanciesGrpcService)), Ct);

        Assert.True(notGraceful.Count == 0, $"{notGraceful.Count} of {sent}: {GrpcGarbage.Summary(notGraceful)}\n" + string.Join("\n", notGraceful.Take(25)));
        Assert.Equal(before, GrpcGarbage.StoredRows(_service.Vacancies.DataDirectory));
    }

    [Fact]
    public async Task Every_taxonomy_method_answers_garbage_with_a_status_about_the_request_and_stores_nothing()
    {
        var before = GrpcGarbage.StoredRows(_service.Taxonomy.DataDirectory);

        var (sent, notGraceful) = await GrpcGarbage.SendToEveryMethodAsync(
            TaxonomyService.Descriptor, Clients(_service.Taxonomy, typeof(TaxonomyGrpcService)), Ct);

        Assert.True(notGraceful.Count == 0, $"{notGraceful.Count} of {sent}: {GrpcGarbage.Summary(notGraceful)}\n" + string.Join("\n", notGraceful.Take(25)));
        Assert.Equal(before, GrpcGarbage.StoredRows(_service.Taxonomy.DataDirectory));
    }

    private static PublishVacancyRequest Item(string sourceId) => new()
    {
        Vacancy = new Vacancy
        {
            Country = Country,
            SourceId = sourceId,
            Title = "Albañil",
            Language = "es",
            OccupationCode = "7112",
            DatePosted = "2026-11-01",
            ValidThrough = TestDates.Open,
        },
    };

    [Fact]
    public async Task A_feed_broken_by_a_garbage_frame_keeps_the_vacancies_before_it_and_says_how_many()
    {
        var random = new Random(GrpcGarbage.Seed);
        var http = _service.Vacancies.CreateClient(TestCaller.Publisher(Country));
        var grpc = new VacanciesService.VacanciesServiceClient(_service.Vacancies.GrpcChannel(TestCaller.Publisher(Country)));
        GrpcGarbage.Kind[] breaks = [GrpcGarbage.Kind.NoFraming, GrpcGarbage.Kind.GarbagePayload, GrpcGarbage.Kind.LengthBeyondBody, GrpcGarbage.Kind.LengthBeyondLimit, GrpcGarbage.Kind.CompressedWithoutEncoding];
        var published = 0;
        for (var round = 0; round < 20; round++)
        {
            var good = random.Next(1, 8);
            published += good;
            var ids = Enumerable.Range(0, good).Select(i => $"FEED-{round}-{i}").ToList();
            var broken = GrpcGarbage.Make(breaks[round % breaks.Length], PublishVacancyRequest.Descriptor, random);
            var body = ids.SelectMany(id => GrpcGarbage.Frame(Item(id).ToByteArray())).Concat(broken.Body).ToArray();

            var answer = await GrpcGarbage.SendAsync(http, "/lmis.vacancies.v1.VacanciesService/PublishVacancies", body, broken.Encoding, Ct);

            var context = $"round {round}, {good} good items then {broken} (seed {GrpcGarbage.Seed}): {answer}";
            Assert.True(answer.IsGraceful, context);
            Assert.True(answer.GrpcStatus is "3" or "8", context);
            Assert.True(answer.GrpcMessage!.Contains($"the {good} items read before were {good} published, 0 refused", StringComparison.Ordinal), context);
            foreach (var id in ids)
            {
                var stored = await grpc.GetVacancyAsync(new GetVacancyRequest { Country = Country, SourceId = id }, cancellationToken: Ct);
                Assert.Equal(1, stored.Version);
            }
        }

        var total = await grpc.SearchVacanciesAsync(new SearchVacanciesRequest { Country = Country, PageSize = 1, IncludeTotal = true }, cancellationToken: Ct);
        Assert.Equal(published + 1, total.Total);
    }

    [Fact]
    public async Task A_garbage_frame_first_in_a_feed_publishes_nothing_and_says_so()
    {
        var random = new Random(GrpcGarbage.Seed + 1);
        var http = _service.Vacancies.CreateClient(TestCaller.Publisher(Country));
        var before = GrpcGarbage.StoredRows(_service.Vacancies.DataDirectory);

        var answer = await GrpcGarbage.SendAsync(
            http, "/lmis.vacancies.v1.VacanciesService/PublishVacancies", GrpcGarbage.Frame(GrpcGarbage.NotA(PublishVacancyRequest.Descriptor, random)), null, Ct);

        Assert.Equal("3", answer.GrpcStatus);
        Assert.Contains("not a valid PublishVacancyRequest message", answer.GrpcMessage, StringComparison.Ordinal);
        Assert.Contains("the 0 items read before were 0 published, 0 refused", answer.GrpcMessage, StringComparison.Ordinal);
        Assert.Equal(before, GrpcGarbage.StoredRows(_service.Vacancies.DataDirectory));
    }

    [Fact]
    public async Task A_well_formed_call_still_works_beside_the_checks()
    {
        var grpc = new VacanciesService.VacanciesServiceClient(_service.Vacancies.GrpcChannel(TestCaller.Publisher(Country)));
        using var call = grpc.PublishVacancies(cancellationToken: Ct);
        await call.RequestStream.WriteAsync(Item("WELL-1"), Ct);
        await call.RequestStream.WriteAsync(Item("WELL-2"), Ct);
        await call.RequestStream.CompleteAsync();
        var response = await call;

        Assert.Equal(2, response.Created);
        var stored = await grpc.GetVacancyAsync(new GetVacancyRequest { Country = Country, SourceId = "WELL-2" }, cancellationToken: Ct);
        Assert.Equal("Albañil", stored.Title);
        var gzip = new VacanciesService.VacanciesServiceClient(_service.Vacancies.GrpcChannel(TestCaller.Publisher(Country)));
        var compressed = await gzip.GetVacancyAsync(
            new GetVacancyRequest { Country = Country, SourceId = "WELL-1" },
            new Metadata { { "grpc-internal-encoding-request", "gzip" } }, cancellationToken: Ct);
        Assert.Equal("WELL-1", compressed.SourceId);
    }
}
