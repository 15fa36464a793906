using System.Collections.Concurrent;
using Lmis.BuildingBlocks.ApiDocument;
using Lmis.Gateway.Proxy;
using Microsoft.OpenApi.Models;
using Microsoft.OpenApi.Readers;
using Swashbuckle.AspNetCore.Swagger;

namespace Lmis.Gateway.ApiDocument;

/// <summary>
/// The gateway's <c>/openapi/v1.json</c>: the whole public REST surface in one document — the gateway's own
/// operations (API keys, the contract, probes) and each service's, read from the document that service serves about
/// itself, so nothing is kept by hand. A service's part is kept for <see cref="KeptFor"/>, and the last one read is
/// used while the service does not answer; a service never read answers 503, not a document with a part missing.
/// </summary>
public sealed class PublicApiDocument(ServiceRoutes routes, IHttpClientFactory clients, TimeProvider time, ILogger<PublicApiDocument> logger)
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromSeconds(30);

    public const string ClientName = "api-documents";

    private readonly ConcurrentDictionary<string, (DateTimeOffset ReadAt, string Json)> _parts = new(StringComparer.Ordinal);

    /// <summary>The merged document with the gateway's address as its server, or the services whose part is missing.</summary>
    public async Task<(OpenApiDocument? Document, IReadOnlyList<string> Missing)> BuildAsync(ISwaggerProvider own, HttpContext context, CancellationToken cancellationToken)
    {
        var document = ApiDocumentExtensions.Generate(own, context);
        var parts = await Task.WhenAll(routes.RestAddresses.Select(service => PartAsync(service.Key, service.Value, cancellationToken)));
        var missing = parts.Where(p => p.Json is null).Select(p => p.Service).ToList();
        if (missing.Count > 0)
        {
            return (null, missing);
        }

        foreach (var (service, json) in parts)
        {
            var part = new OpenApiStringReader().Read(json!, out var diagnostic);
            foreach (var error in diagnostic.Errors)
            {
                logger.LogWarning("The {Service} service's OpenAPI document: {Error}", service, error.Message);
            }

            Merge(document, part);
        }

        return (document, missing);
    }

    /// <summary>
    /// Paths are the services' own (the gateway routes each path prefix to one service); schemas of the same name are
    /// the same proto message or the shared problem shape, so the first is kept.
    /// </summary>
    private static void Merge(OpenApiDocument into, OpenApiDocument part)
    {
        foreach (var (path, item) in part.Paths)
        {
            into.Paths.TryAdd(path, item);
        }

        foreach (var (name, schema) in part.Components.Schemas)
        {
            into.Components.Schemas.TryAdd(name, schema);
        }

        foreach (var (name, response) in part.Components.Responses)
        {
            into.Components.Responses.TryAdd(name, response);
        }

        foreach (var tag in part.Tags.Where(t => into.Tags.All(known => known.Name != t.Name)))
        {
            into.Tags.Add(tag);
        }

        into.Tags = [.. into.Tags.OrderBy(t => t.Name, StringComparer.Ordinal)];
    }

    private async Task<(string Service, string? Json)> PartAsync(string service, Uri address, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_parts.TryGetValue(service, out var kept) && now - kept.ReadAt < KeptFor)
        {
            return (service, kept.Json);
        }

        try
        {
            using var response = await clients.CreateClient(ClientName).GetAsync(new Uri(address, ApiDocumentExtensions.Path), cancellationToken);
            response.EnsureSuccessStatusCode();
            var json = await response.Content.ReadAsStringAsync(cancellationToken);
            _parts[service] = (now, json);
            return (service, json);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "The {Service} service did not give its OpenAPI document", service);
            return (service, _parts.TryGetValue(service, out var last) ? last.Json : null);
        }
    }
}

public static class PublicApiDocumentExtensions
{
    public static IServiceCollection AddPublicApiDocument(this IServiceCollection services)
    {
        services.AddSingleton<PublicApiDocument>();
        services.AddHttpClient(PublicApiDocument.ClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        return services;
    }

    /// <summary><c>GET /openapi/v1.json</c> at the gateway: the merged public document.</summary>
    public static IEndpointRouteBuilder MapPublicApiDocument(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ApiDocumentExtensions.Path, async (HttpContext context, PublicApiDocument merged, ISwaggerProvider own, CancellationToken cancellationToken) =>
        {
            var (document, missing) = await merged.BuildAsync(own, context, cancellationToken);
            if (document is null)
            {
                context.Response.Headers.RetryAfter = "5";
                return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                    detail: $"The {string.Join(", ", missing)} service{(missing.Count > 1 ? "s" : string.Empty)} did not give {(missing.Count > 1 ? "their" : "its")} part of the API document; try again.");
            }

            return Results.Text(ApiDocumentExtensions.ToJson(document), ApiDocumentExtensions.MediaType, System.Text.Encoding.UTF8);
        }).ExcludeFromDescription();
        return endpoints;
    }
}
