using Lmis.BuildingBlocks.Security;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Lmis.Gateway.Access;

/// <summary>
/// What the services learn of the caller: never the caller's own secret (API key or token), but a short-lived token
/// the gateway signs for the caller it authenticated, with the caller's address. An anonymous caller goes on
/// anonymous.
/// </summary>
public static class CallerForwarding
{
    public static void Apply(TransformBuilderContext builder) => builder.AddRequestTransform(context =>
    {
        var headers = context.ProxyRequest.Headers;
        headers.Remove(ApiKeyAuthenticationHandler.Header);
        headers.Authorization = null;
        var http = context.HttpContext;
        if (http.User.Identity?.IsAuthenticated == true)
        {
            var tokens = http.RequestServices.GetRequiredService<GatewayTokens>();
            var token = tokens.Issue(http.User, Caller.From(http).ClientAddress);
            headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return ValueTask.CompletedTask;
    });
}
