using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Net.Client;
using Lmis.Contracts.Statistics.V1;
using Xunit;

namespace Lmis.Testing;

/// <summary>A running LMIS and the public entry point to it (gateway or standalone host).</summary>
public interface IRunningStack
{
    /// <summary>REST, SDMX and health (HTTP/1.1).</summary>
    string HttpUrl { get; }

    /// <summary>gRPC (cleartext HTTP/2).</summary>
    string GrpcUrl { get; }

    /// <summary>The secretariat's key the stack was started with (<c>Lmis:Access:SecretariatKey</c>).</summary>
    string SecretariatKey { get; }

    /// <summary>Every process's recent output, for failure messages.</summary>
    string Output();

    /// <summary>An API key of a publisher of <paramref name="country"/>, issued by the secretariat through the API.</summary>
    Task<string> PublisherKeyAsync(string country);
}

/// <summary>Clients of a running stack, anonymous or with an API key.</summary>
public static class StackClients
{
    public static HttpClient Http(this IRunningStack stack, string? apiKey = null) =>
        new(Handler(apiKey)) { BaseAddress = new Uri(stack.HttpUrl), Timeout = TimeSpan.FromSeconds(20) };

    public static GrpcChannel Grpc(this IRunningStack stack, string? apiKey = null) =>
        GrpcChannel.ForAddress(stack.GrpcUrl, new GrpcChannelOptions { HttpHandler = Handler(apiKey) });

    /// <summary>
    /// Publishes one open vacancy over REST as a publisher of <paramref name="country"/>, as a ministry would; fails the
    /// test with the answer if it is refused.
    /// </summary>
    public static async Task PublishOverRestAsync(this IRunningStack stack, string country, string sourceId, string title, string occupationCode, int positions, CancellationToken ct)
    {
        using var publisher = stack.Http(await stack.PublisherKeyAsync(country));
        using var published = await publisher.PostAsJsonAsync("/api/v1/vacancies", new { country, sourceId, title, occupationCode, positions }, ct);
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync(ct));
    }

    /// <summary>Waits until the statistics service counts at least <paramref name="positions"/> open positions of <paramref name="country"/>.</summary>
    public static async Task<GetVacancyCountsResponse> CountedAsync(this IRunningStack stack, string country, int positions, TimeSpan within, CancellationToken ct)
    {
        using var reader = stack.Grpc(stack.SecretariatKey);
        var statistics = new StatisticsService.StatisticsServiceClient(reader);
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var counts = await statistics.GetVacancyCountsAsync(new GetVacancyCountsRequest { Country = country }, cancellationToken: ct);
            if (counts.TotalOpenPositions >= positions || DateTime.UtcNow >= deadline)
            {
                return counts;
            }

            await Task.Delay(250, ct);
        }
    }

    private static HttpMessageHandler Handler(string? apiKey) =>
        apiKey is null ? new SocketsHttpHandler() : CredentialHandler.ApiKey(apiKey, new SocketsHttpHandler());
}

/// <summary>
/// The keys a stack's tests use: the secretariat's, set at start, and one publisher key per member state, issued
/// once through the access API as a secretariat would.
/// </summary>
public sealed class StackKeys
{
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _publishers = new(StringComparer.Ordinal);

    public string Secretariat { get; } = "lmis_test_" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");

    /// <summary>The secret the gateway and the services share (distributed stack).</summary>
    public string GatewayTokenKey { get; } = TestCaller.NewGatewayTokenKey();

    public Task<string> PublisherAsync(IRunningStack stack, string country) =>
        _publishers.GetOrAdd(country, c => new Lazy<Task<string>>(() => IssueAsync(stack, c))).Value;

    private async Task<string> IssueAsync(IRunningStack stack, string country)
    {
        using var http = stack.Http(Secretariat);
        using var response = await http.PostAsJsonAsync("/api/v1/access/keys", new { name = $"ministry of labour {country}", role = "publisher", country });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Issuing a key for {country} failed: {(int)response.StatusCode} {body}\n{stack.Output()}");
        }

        return JsonDocument.Parse(body).RootElement.GetProperty("secret").GetString()!;
    }
}
