using System.Text.Json;
using Lmis.BuildingBlocks.Security;
using Yarp.ReverseProxy.Forwarder;

namespace Lmis.Gateway.Proxy;

/// <summary>
/// When a service cannot be reached, YARP answers with a bare status code. Callers get a reason instead: gRPC
/// callers an UNAVAILABLE (or DEADLINE_EXCEEDED) status with a message, REST callers a problem details body.
/// </summary>
public sealed class ProxyErrorResponses(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);

        var error = context.GetForwarderErrorFeature();
        if (error is null || context.Response.HasStarted)
        {
            return;
        }

        var route = context.GetReverseProxyFeature().Route.Config.RouteId;
        var service = route[..route.IndexOf('-', StringComparison.Ordinal)];
        var timedOut = error.Error is ForwarderError.RequestTimedOut;
        var reason = timedOut
            ? $"The {service} service did not answer in time."
            : $"The {service} service is unavailable ({error.Error}). Try again shortly.";

        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true)
        {
            // gRPC statuses travel in headers of a 200 response with no body ("trailers-only").
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = timedOut ? "4" : "14";
            context.Response.Headers["grpc-message"] = CallRefusal.GrpcMessage(reason);
            return;
        }

        context.Response.StatusCode = timedOut ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway;
        context.Response.ContentType = "application/problem+json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            type = $"https://httpstatuses.io/{context.Response.StatusCode}",
            title = timedOut ? "Gateway Timeout" : "Bad Gateway",
            status = context.Response.StatusCode,
            detail = reason,
            instance = context.Request.Path.Value,
        }));
    }
}
