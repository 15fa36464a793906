using System.Net;
using Grpc.Core;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Testing;

namespace Lmis.EndToEnd.Tests;

/// <summary>The standalone host with small per-credential limits: 5 calls a second, bursts of 10.</summary>
public sealed class LimitedStandaloneStack : StandaloneStack
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Lmis__Limits__RequestsPerSecond"] = "5",
        ["Lmis__Limits__Burst"] = "10",
    };
}

/// <summary>One credential flooding the entry point is slowed down with 429 / RESOURCE_EXHAUSTED; the others are not.</summary>
public sealed class CallerLimitsTests(LimitedStandaloneStack stack) : IClassFixture<LimitedStandaloneStack>
{
    [Fact]
    public async Task A_flood_from_one_credential_is_refused_with_retry_after_while_another_credential_is_served()
    {
        var ct = TestContext.Current.CancellationToken;
        var flooder = await stack.PublisherKeyAsync("CAN");
        var neighbour = await stack.PublisherKeyAsync("USA");
        using var flood = stack.Http(flooder);
        using var other = stack.Http(neighbour);

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => flood.GetAsync("/api/v1/vacancies?country=CAN", ct)));
        var grpcFlood = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var channel = stack.Grpc(flooder);
            var client = new VacanciesService.VacanciesServiceClient(channel);
            for (var i = 0; i < 40; i++)
            {
                await client.SearchVacanciesAsync(new SearchVacanciesRequest { Country = "CAN" }, cancellationToken: ct);
            }
        });
        var served = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => other.GetAsync("/api/v1/vacancies?country=USA", ct)));

        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToArray();
        // At least the calls beyond the burst and what a slow machine replenishes meanwhile; never those within the burst.
        Assert.InRange(refused.Length, 5, 30);
        Assert.All(refused, r => Assert.True(r.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), r.Headers.ToString()));
        Assert.Contains("Too many calls from publisher", await refused[0].Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(StatusCode.ResourceExhausted, grpcFlood.StatusCode);
        Assert.Contains("at most 5 per second", grpcFlood.Status.Detail, StringComparison.Ordinal);
        Assert.All(served, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var response in responses.Concat(served))
        {
            response.Dispose();
        }
    }
}
