using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi.Models;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Lmis.BuildingBlocks.ApiDocument;

/// <summary>The two credentials LMIS accepts: an API key issued by the secretariat, or an identity provider's bearer token.</summary>
internal static class Credentials
{
    public const string ApiKeyScheme = "apiKey";

    public const string BearerScheme = "bearer";

    public static OpenApiSecurityScheme ApiKey => new()
    {
        Type = SecuritySchemeType.ApiKey,
        In = ParameterLocation.Header,
        Name = Security.ApiKeyAuthenticationHandler.Header,
        Description = "An LMIS API key, issued by the secretariat (`POST /api/v1/access/keys`). A publisher's key writes its member state's data only.",
    };

    public static OpenApiSecurityScheme Bearer => new()
    {
        Type = SecuritySchemeType.Http,
        Scheme = "bearer",
        BearerFormat = "JWT",
        Description = "A token of the member states' identity provider, when the installation trusts one (docs/security.md).",
    };

    public static OpenApiSecurityRequirement Requirement(string scheme) => new()
    {
        [new OpenApiSecurityScheme { Reference = new OpenApiReference { Type = ReferenceType.SecurityScheme, Id = scheme } }] = [],
    };
}

/// <summary>
/// Says on every operation which credentials it takes: a write (or a secretariat-only read) needs one; every other
/// read is open to anyone (<c>{}</c>), and takes a credential too.
/// </summary>
internal sealed class OperationCredentials : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        operation.Security = NeedsCredential(context)
            ? [Credentials.Requirement(Credentials.ApiKeyScheme), Credentials.Requirement(Credentials.BearerScheme)]
            : [new OpenApiSecurityRequirement(), Credentials.Requirement(Credentials.ApiKeyScheme), Credentials.Requirement(Credentials.BearerScheme)];
    }

    public static bool NeedsCredential(OperationFilterContext context) =>
        context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any();
}
