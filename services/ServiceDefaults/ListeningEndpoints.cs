using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Every LMIS process listens on two endpoints: <c>http</c> (HTTP/1.1: REST, SDMX, health) and <c>grpc</c>
/// (cleartext HTTP/2 only — Kestrel cannot serve cleartext HTTP/2 on an endpoint that also speaks HTTP/1.1).
/// They are ordinary Kestrel endpoints, so <c>Kestrel:Endpoints:http:Url</c> and <c>Kestrel:Endpoints:grpc:Url</c>
/// (e.g. the environment variables <c>Kestrel__Endpoints__grpc__Url</c>) move them.
/// </summary>
public static class ListeningEndpoints
{
    public const string Http = "http";
    public const string Grpc = "grpc";

    /// <summary>
    /// Adds the default URLs and protocols underneath every other configuration source, so anything the operator
    /// configures wins.
    /// </summary>
    public static TBuilder UseDefaultListeningEndpoints<TBuilder>(this TBuilder builder, int httpPort, int grpcPort)
        where TBuilder : IHostApplicationBuilder
    {
        var defaults = new Dictionary<string, string?>
        {
            [$"Kestrel:Endpoints:{Http}:Url"] = $"http://localhost:{httpPort}",
            [$"Kestrel:Endpoints:{Http}:Protocols"] = "Http1",
            [$"Kestrel:Endpoints:{Grpc}:Url"] = $"http://localhost:{grpcPort}",
            [$"Kestrel:Endpoints:{Grpc}:Protocols"] = "Http2",
        };
        ((IConfigurationBuilder)builder.Configuration).Sources.Insert(0, new MemoryConfigurationSource { InitialData = defaults });
        return builder;
    }

    /// <summary>The URL the <c>grpc</c> endpoint binds to, as a client on this machine would call it.</summary>
    public static Uri LocalGrpcAddress(IConfiguration configuration)
    {
        var url = configuration[$"Kestrel:Endpoints:{Grpc}:Url"]
            ?? throw new InvalidOperationException($"Kestrel:Endpoints:{Grpc}:Url is not configured.");
        var uri = new Uri(url.Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal));
        return uri;
    }
}
