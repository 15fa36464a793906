using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Lmis.Contracts.Statistics.V1;
using Lmis.Testing;

namespace Lmis.EndToEnd.Tests;

/// <summary>The gateway in front of a service that is down: callers get a clear answer at once, not a hang.</summary>
public sealed class GatewayTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new("gateway");
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
            ["Lmis__Security__GatewayTokenKey"] = TestCaller.NewGatewayTokenKey(),
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
    public async Task The_gateway_refuses_to_start_without_knowing_where_the_services_are()
    {
        await using var gateway = ServiceProcess.Start("gateway-unconfigured", Repository.Binary("gateway", "Lmis.Gateway"), new Dictionary<string, string>());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => gateway.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains("exited", error.Message, StringComparison.Ordinal);
        Assert.Contains("services:taxonomy:http:0", error.Message, StringComparison.Ordinal);
    }
}
