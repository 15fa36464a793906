using Lmis.BuildingBlocks.ApiDocument;
using Scalar.AspNetCore;

namespace Lmis.Gateway.ApiDocument;

/// <summary>
/// <c>/api/reference</c>: the API document as an interactive reference (Scalar), for a ministry's developers to read
/// and try calls in the browser. Everything it needs is served from here — ministries may run LMIS offline — so no
/// script or font comes from outside, and the features that call out (the AI chat, the MCP server, the hosted
/// developer tools) are off.
/// </summary>
public static class ApiReference
{
    public const string Path = "/api/reference";

    public static IEndpointRouteBuilder MapApiReference(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapScalarApiReference(Path, options => options
            .WithTitle("LMIS API reference")
            .WithOpenApiRoutePattern(ApiDocumentExtensions.Path)
            .DisableDefaultFonts()
            .DisableAgent()
            .DisableMcp()
            .HideDeveloperTools()
            .ExpandAllTags()
            .AddPreferredSecuritySchemes(["apiKey"]));
        return endpoints;
    }
}
