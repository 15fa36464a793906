using System.Net;
using System.Text.RegularExpressions;
using Google.Api;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi.Models;
using Microsoft.OpenApi.Readers;
using Xunit;

namespace Lmis.Testing;

/// <summary>
/// What a ministry's tools need of <c>/openapi/v1.json</c>, checked against what the process really serves: a valid
/// OpenAPI 3 document (read by Microsoft.OpenApi's own reader), every HTTP rule of the protos and every mapped REST
/// endpoint in it — so a new method or endpoint cannot be left out — each saying whether it needs a credential.
/// </summary>
public static partial class ApiDocumentChecks
{
    public const string Path = "/openapi/v1.json";

    /// <summary>The document as served, read by Microsoft.OpenApi; fails on any error the reader reports.</summary>
    public static async Task<OpenApiDocument> ReadAsync(HttpClient client, CancellationToken ct)
    {
        using var response = await client.GetAsync(Path, ct);
        var json = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {json}");
        Assert.Equal("application/vnd.oai.openapi+json", response.Content.Headers.ContentType?.MediaType);
        var document = new OpenApiStringReader().Read(json, out var diagnostic);
        Assert.True(diagnostic.Errors.Count == 0, string.Join("\n", diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}")));
        Assert.Equal(Microsoft.OpenApi.OpenApiSpecVersion.OpenApi3_0, diagnostic.SpecificationVersion);
        return document;
    }

    /// <summary>
    /// A service's own document, read and checked whole: valid, with every HTTP rule of <paramref name="service"/> and
    /// every endpoint the host maps, each saying the credential it needs.
    /// </summary>
    public static async Task<OpenApiDocument> ReadCompleteAsync(HttpClient client, IServiceProvider host, Google.Protobuf.Reflection.ServiceDescriptor service, CancellationToken ct)
    {
        var document = await ReadAsync(client, ct);
        HasEveryHttpRule(document, service);
        HasEveryEndpoint(document, host);
        return document;
    }

    /// <summary>Every operation as "METHOD /path/{}/…" (parameter names left out: proto and .NET spell them differently).</summary>
    public static ISet<string> Operations(OpenApiDocument document) =>
        document.Paths.SelectMany(p => p.Value.Operations.Keys.Select(method => Key(method.ToString(), p.Key))).ToHashSet(StringComparer.Ordinal);

    /// <summary>Every <c>google.api.http</c> rule (and additional binding) of <paramref name="services"/> is an operation.</summary>
    public static void HasEveryHttpRule(OpenApiDocument document, params Google.Protobuf.Reflection.ServiceDescriptor[] services)
    {
        var operations = Operations(document);
        var rules = services.SelectMany(s => s.Methods)
            .SelectMany(m => HttpRules(m).Select(rule => (Method: m.FullName, Rule: rule)))
            .ToList();
        Assert.NotEmpty(rules);
        var missing = rules.Where(r => !operations.Contains(r.Rule)).Select(r => $"{r.Method}: {r.Rule}").ToList();
        Assert.True(missing.Count == 0, "Not in the API document:\n" + string.Join("\n", missing));
    }

    /// <summary>
    /// Every REST endpoint the process maps (gRPC-only methods, reflection and the document itself aside) is an
    /// operation, and says the credential it needs: none for a public read (an empty security requirement among
    /// the alternatives), an API key or bearer token for a write or a secretariat-only read.
    /// </summary>
    public static void HasEveryEndpoint(OpenApiDocument document, IServiceProvider services)
    {
        var operations = document.Paths.SelectMany(p => p.Value.Operations.Select(o => (Key: Key(o.Key.ToString(), p.Key), Operation: o.Value)))
            .GroupBy(o => o.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Operation, StringComparer.Ordinal);
        var endpoints = services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(IsRest)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(method => (Key: Key(method, "/" + e.RoutePattern.RawText!.TrimStart('/')), Endpoint: e)))
            .ToList();
        Assert.NotEmpty(endpoints);

        var problems = new List<string>();
        foreach (var (key, endpoint) in endpoints)
        {
            if (!operations.TryGetValue(key, out var operation))
            {
                problems.Add($"{key} ({endpoint.DisplayName}) is not in the API document");
                continue;
            }

            var needsCredential = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0;
            var open = operation.Security.Any(r => r.Count == 0);
            var schemes = operation.Security.SelectMany(r => r.Keys.Select(s => s.Reference.Id)).ToHashSet(StringComparer.Ordinal);
            if (needsCredential == open || (needsCredential && !schemes.SetEquals(["apiKey", "bearer"])))
            {
                problems.Add($"{key}: needs a credential: {needsCredential}; the document says open: {open}, schemes [{string.Join(", ", schemes)}]");
            }

            if (string.IsNullOrWhiteSpace(operation.Summary) || string.IsNullOrWhiteSpace(operation.OperationId))
            {
                problems.Add($"{key}: no summary or operationId");
            }

            if (needsCredential && !(operation.Responses.ContainsKey("401") && operation.Responses.ContainsKey("403")))
            {
                problems.Add($"{key}: needs a credential but does not describe 401 and 403");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>REST endpoints: not a gRPC method's own path, not reflection or the gRPC health service, not the document.</summary>
    private static bool IsRest(RouteEndpoint endpoint)
    {
        var pattern = endpoint.RoutePattern.RawText ?? string.Empty;
        var grpcPath = endpoint.Metadata.GetMetadata<GrpcMethodMetadata>() is { } grpc && pattern.TrimStart('/').StartsWith(grpc.Method.ServiceName + "/", StringComparison.Ordinal);
        return !grpcPath && !pattern.StartsWith("grpc.", StringComparison.Ordinal) && !pattern.StartsWith("/grpc.", StringComparison.Ordinal)
            && !pattern.Contains("{unimplemented", StringComparison.OrdinalIgnoreCase) && pattern.TrimStart('/') != Path.TrimStart('/')
            && !pattern.StartsWith("/api/reference", StringComparison.Ordinal) && !pattern.StartsWith("api/reference", StringComparison.Ordinal);
    }

    private static IEnumerable<string> HttpRules(MethodDescriptor method)
    {
        if (method.GetOptions()?.GetExtension(AnnotationsExtensions.Http) is not { } rule)
        {
            yield break;
        }

        foreach (var binding in new[] { rule }.Concat(rule.AdditionalBindings))
        {
            var (verb, path) = binding.PatternCase switch
            {
                HttpRule.PatternOneofCase.Get => ("GET", binding.Get),
                HttpRule.PatternOneofCase.Post => ("POST", binding.Post),
                HttpRule.PatternOneofCase.Put => ("PUT", binding.Put),
                HttpRule.PatternOneofCase.Delete => ("DELETE", binding.Delete),
                HttpRule.PatternOneofCase.Patch => ("PATCH", binding.Patch),
                _ => throw new InvalidOperationException($"{method.FullName}: a custom HTTP rule"),
            };
            yield return Key(verb, path);
        }
    }

    private static string Key(string method, string path) =>
        method.ToUpperInvariant() + " " + Parameter().Replace(path.Replace("?}", "}", StringComparison.Ordinal), "{}");

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Parameter();
}
