using Microsoft.Extensions.Hosting;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Lmis.Gateway.Proxy;

/// <summary>
/// Which public paths go to which service. Destinations come from the configuration keys Aspire injects for a
/// reference — <c>services:&lt;service&gt;:http:0</c> (REST) and <c>services:&lt;service&gt;:grpc:0</c> (gRPC) — so the
/// AppHost, the tests and a production deployment configure the gateway the same way.
/// </summary>
public sealed record ServiceRoutes(IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters, IReadOnlyDictionary<string, Uri> RestAddresses)
{
    /// <summary>
    /// A service behind the gateway: its gRPC package and its REST paths — a prefix ("/api/v1/taxonomy") takes every
    /// path below it; a path naming one resource, with a custom method ("/api/v1/vacancies:csv") or a file extension
    /// ("/api/v1/vacancies.jsonld"), is matched as it is.
    /// </summary>
    public sealed record Service(string Name, string GrpcPackage, params string[] RestPaths);

    /// <summary>The route values a gRPC route captures: the service's full name and the method's name.</summary>
    public const string GrpcServiceValue = "grpcService";

    public const string GrpcMethodValue = "method";

    public static IReadOnlyList<Service> Services { get; } =
    [
        new("taxonomy", "lmis.taxonomy.v1", "/api/v1/taxonomy"),
        new("vacancies", "lmis.vacancies.v1", "/api/v1/vacancies", "/api/v1/vacancies:csv", "/api/v1/vacancies.jsonld"),
        new("statistics", "lmis.statistics.v1", "/api/v1/statistics", "/sdmx"),
    ];

    public static ServiceRoutes FromConfiguration(IConfiguration configuration)
    {
        var routes = new List<RouteConfig>();
        var clusters = new List<ClusterConfig>();
        var missing = new List<string>();
        var restAddresses = new Dictionary<string, Uri>(StringComparer.Ordinal);
        var csvMaxBytes = Lmis.BuildingBlocks.Security.ServiceLimits.From(configuration).CsvMaxBytes;
        foreach (var service in Services)
        {
            var rest = Destination(configuration, service.Name, ListeningEndpoints.Http, missing);
            var grpc = Destination(configuration, service.Name, ListeningEndpoints.Grpc, missing);
            restAddresses[service.Name] = new Uri(rest);
            clusters.Add(new ClusterConfig
            {
                ClusterId = $"{service.Name}-rest",
                Destinations = new Dictionary<string, DestinationConfig> { ["primary"] = new() { Address = rest } },
            });
            clusters.Add(new ClusterConfig
            {
                ClusterId = $"{service.Name}-grpc",
                Destinations = new Dictionary<string, DestinationConfig> { ["primary"] = new() { Address = grpc } },
                // gRPC needs HTTP/2 all the way; the services' gRPC endpoints speak cleartext HTTP/2 only.
                HttpRequest = new ForwarderRequestConfig { Version = new Version(2, 0), VersionPolicy = HttpVersionPolicy.RequestVersionExact },
            });
            routes.AddRange(service.RestPaths.Select((path, i) => new RouteConfig
            {
                RouteId = $"{service.Name}-rest-{i}",
                ClusterId = $"{service.Name}-rest",
                // As large as the services accept a CSV upload (Lmis:Limits:CsvMaxBytes); they refuse beyond it.
                MaxRequestBodySize = csvMaxBytes,
                Match = new RouteMatch { Path = NamesOneResource(path) ? path : path + "/{**remainder}" },
            }));
            routes.Add(new RouteConfig
            {
                RouteId = $"{service.Name}-grpc",
                ClusterId = $"{service.Name}-grpc",
                // A feed is one long request; the services bound each message and each feed themselves.
                MaxRequestBodySize = -1,
                // gRPC paths are /<package>.<Service>/<Method>.
                Match = new RouteMatch { Path = "/{" + GrpcServiceValue + ":regex(^" + service.GrpcPackage.Replace(".", "\\.", StringComparison.Ordinal) + "\\.[A-Za-z0-9_]+$)}/{" + GrpcMethodValue + "}" },
            });
        }

        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                "The gateway does not know where the services are. Set " + string.Join(", ", missing)
                + " (e.g. services__taxonomy__http__0=http://localhost:5101 as an environment variable); the Aspire AppHost sets them.");
        }

        return new ServiceRoutes(routes, clusters, restAddresses);
    }

    private static bool NamesOneResource(string path) => path[(path.LastIndexOf('/') + 1)..].IndexOfAny([':', '.']) >= 0;

    private static string Destination(IConfiguration configuration, string service, string endpoint, List<string> missing)
    {
        var key = $"services:{service}:{endpoint}:0";
        var address = configuration[key];
        if (string.IsNullOrWhiteSpace(address) || !Uri.TryCreate(address, UriKind.Absolute, out _))
        {
            missing.Add(key);
            return "http://unconfigured.invalid";
        }

        return address;
    }
}
