using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.Security;
using Lmis.Gateway.Access;
using Lmis.Gateway.ApiDocument;
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
        builder.AddLmisSecurity();
        builder.AddCallerLimits();
        return builder;
    }

    /// <summary>
    /// Unknown paths and unhandled failures answer with RFC 7807 problem details, not empty bodies; every caller is
    /// identified (a credential that is not valid is refused here) and held to its share of calls.
    /// </summary>
    public static WebApplication UseGatewayPolicies(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseServiceApi();
        app.UseCallerLimits();
        return app;
    }

    /// <summary>
    /// The routes to the services, which learn who calls through tokens the gateway signs: the gateway refuses to
    /// start without <see cref="GatewayTokens.ConfigurationKey"/>, as it does without the services' addresses.
    /// </summary>
    public static IHostApplicationBuilder AddServiceRoutes(this IHostApplicationBuilder builder)
    {
        var routes = ServiceRoutes.FromConfiguration(builder.Configuration);
        if (GatewayTokens.KeyFrom(builder.Configuration) is null)
        {
            throw new InvalidOperationException(
                $"Set {GatewayTokens.ConfigurationKey} (the same random secret of at least 32 characters as the services'; "
                + "the Aspire AppHost sets it): the gateway signs with it who is calling.");
        }

        builder.Services.AddSingleton(routes);
        builder.Services.AddPublicApiDocument();
        builder.Services.AddReverseProxy().LoadFromMemory(routes.Routes, routes.Clusters).AddTransforms(CallerForwarding.Apply);
        return builder;
    }

    public static WebApplication MapServiceRoutes(this WebApplication app)
    {
        app.UseMiddleware<WritesNeedCredentials>();
        app.MapReverseProxy(proxy => proxy.UseMiddleware<ProxyErrorResponses>());
        return app;
    }
}
