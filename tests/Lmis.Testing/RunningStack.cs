using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Net.Client;

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
