using Lmis.Gateway.Proxy;

namespace Lmis.Gateway;

/// <summary>
/// The gateway's two halves: the public policies (also applied by the standalone host, which serves the same
/// public surface from one process) and the routes to the services (distributed stack only).
/// </summary>
public static class GatewayModule
{
    public static IHostApplicationBuilder AddGatewayPolicies(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        return builder;
    }

    /// <summary>Unknown paths and unhandled failures answer with RFC 7807 problem details, not empty bodies.</summary>
    public static WebApplication UseGatewayPolicies(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    public static IHostApplicationBuilder AddServiceRoutes(this IHostApplicationBuilder builder)
    {
        var routes = ServiceRoutes.FromConfiguration(builder.Configuration);
        builder.Services.AddReverseProxy().LoadFromMemory(routes.Routes, routes.Clusters);
        return builder;
    }

    public static WebApplication MapServiceRoutes(this WebApplication app)
    {
        app.MapReverseProxy(proxy => proxy.UseMiddleware<ProxyErrorResponses>());
        return app;
    }
}
