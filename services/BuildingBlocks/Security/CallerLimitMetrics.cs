using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lmis.BuildingBlocks.Security;

/// <summary>
/// Calls the public entry point refused for going over a caller's share (<see cref="CallerLimits"/>), by the
/// <c>route</c> they were for and the caller's <c>role</c> (publisher, secretariat, anonymous). Meter <c>Lmis.Gateway</c>.
/// </summary>
public sealed class CallerLimitMetrics
{
    public const string MeterName = "Lmis.Gateway";

    private readonly Counter<long> _refused;

    public CallerLimitMetrics(IMeterFactory meters) =>
        _refused = meters.Create(MeterName).CreateCounter<long>(
            "lmis.gateway.rate_limited", "{request}", "Calls refused with 429 / RESOURCE_EXHAUSTED because their caller went over its share.");

    public void Refused(HttpContext context, Caller caller) =>
        _refused.Add(
            1,
            new KeyValuePair<string, object?>("route", RouteOf(context)),
            new KeyValuePair<string, object?>("role", caller.Role));

    /// <summary>
    /// The matched endpoint's name: a gateway route id such as <c>vacancies-grpc</c> (YARP names its endpoints so), a
    /// service's gRPC method or REST route; never the raw path, which a caller chooses and would make the tag unbounded.
    /// </summary>
    private static string RouteOf(HttpContext context) => context.GetEndpoint() switch
    {
        { } endpoint when endpoint.Metadata.GetMetadata<IRouteNameMetadata>()?.RouteName is { Length: > 0 } name => name,
        { DisplayName: { Length: > 0 } display } => display,
        RouteEndpoint route when route.RoutePattern.RawText is { Length: > 0 } pattern => pattern,
        _ => "unmatched",
    };
}
