using System.Net.Http.Headers;
using System.Security.Cryptography;
using Lmis.BuildingBlocks.Security;

namespace Lmis.Testing;

/// <summary>Who a test calls as, on a service hosted in process (the services trust the gateway's tokens).</summary>
public sealed record TestCaller(string Subject, string Role, string? Country)
{
    public static TestCaller Secretariat { get; } = new("secretariat-test", AccessRoles.Secretariat, null);

    public static TestCaller Publisher(string country) => new($"ministry-{country}", AccessRoles.Publisher, country);

    /// <summary>A fresh random secret for <see cref="GatewayTokens"/> (tests never share one with anything).</summary>
    public static string NewGatewayTokenKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    /// <summary>A gRPC channel straight to a service process, calling as this caller with the gateway's token.</summary>
    public Grpc.Net.Client.GrpcChannel ChannelTo(string url, string gatewayTokenKey) => Grpc.Net.Client.GrpcChannel.ForAddress(url, new()
    {
        HttpHandler = CredentialHandler.Bearer(TokenSignedWith(gatewayTokenKey), new SocketsHttpHandler()),
    });

    /// <summary>The token the gateway would forward for this caller.</summary>
    public string TokenSignedWith(string gatewayTokenKey)
    {
        return new GatewayTokens(GatewayTokens.KeyFromSecret(gatewayTokenKey), TimeProvider.System)
            .Issue(Caller.Principal("test", Subject, Role, Country, "test:" + Subject), "192.0.2.10");
    }
}

/// <summary>Adds a fixed Authorization or API key header to every request.</summary>
public sealed class CredentialHandler(string header, string value, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    public static CredentialHandler Bearer(string token, HttpMessageHandler inner) => new("Authorization", "Bearer " + token, inner);

    public static CredentialHandler ApiKey(string key, HttpMessageHandler inner) => new(ApiKeyAuthenticationHandler.Header, key, inner);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove(header);
        request.Headers.TryAddWithoutValidation(header, value);
        return base.SendAsync(request, cancellationToken);
    }
}

public static class AuthenticationHeaders
{
    public static AuthenticationHeaderValue BearerFor(this TestCaller caller, string gatewayTokenKey) =>
        new("Bearer", caller.TokenSignedWith(gatewayTokenKey));
}
