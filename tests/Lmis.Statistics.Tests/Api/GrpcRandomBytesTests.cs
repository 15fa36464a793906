using Lmis.Contracts.Statistics.V1;
using Lmis.Statistics.Grpc;
using Lmis.Testing;

namespace Lmis.Statistics.Tests.Api;

/// <summary>
/// Random and malformed bytes sent as gRPC requests to every method of the statistics service: each is answered
/// with a status that says what was wrong with the request (never INTERNAL or UNKNOWN, never a failed connection),
/// and nothing stored changes.
/// </summary>
public sealed class GrpcRandomBytesTests : IAsyncLifetime
{
    private readonly StatisticsInProcess _service = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _service.InitializeAsync();

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    [Fact]
    public async Task Every_statistics_method_answers_garbage_with_a_status_about_the_request_and_stores_nothing()
    {
        var clients = new Dictionary<string, HttpClient>(StringComparer.Ordinal);
        // A first call opens the service's store, so what it holds can be compared before and after.
        await new StatisticsService.StatisticsServiceClient(_service.Statistics.GrpcChannel(TestCaller.Secretariat))
            .GetVacancyCountsAsync(new GetVacancyCountsRequest(), cancellationToken: Ct);
        var before = GrpcGarbage.StoredRows(_service.Statistics.DataDirectory);

        var (sent, notGraceful) = await GrpcGarbage.SendToEveryMethodAsync(StatisticsService.Descriptor, method =>
        {
            var caller = GrpcGarbage.CallerFor(typeof(StatisticsGrpcService), method, "BLZ");
            return clients.TryGetValue(caller.Subject, out var client) ? client : clients[caller.Subject] = _service.Statistics.CreateClient(caller);
        }, Ct);

        Assert.True(notGraceful.Count == 0, $"{notGraceful.Count} of {sent}: {GrpcGarbage.Summary(notGraceful)}\n" + string.Join("\n", notGraceful.Take(25)));
        Assert.Equal(before, GrpcGarbage.StoredRows(_service.Statistics.DataDirectory));
    }
}
