using System.Net;
using Lmis.BuildingBlocks.MemberStates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Lmis.BuildingBlocks.Security;

/// <summary>
/// Who may call what, the same in every LMIS process. A caller comes with an API key (<c>X-Api-Key</c>), a bearer
/// token from the member states' identity provider (<c>Lmis:Security:Jwt</c>), a token the gateway issued for a
/// caller it authenticated (<see cref="GatewayTokens"/>), or nothing (anonymous: public reads only). A credential
/// that is presented and not valid is refused outright, even for a read.
/// </summary>
public static class SecurityExtensions
{
    private const string Selector = "Lmis";
    private const string IdentityProvider = "IdentityProvider";
    private const string Gateway = "Gateway";

    /// <summary>Idempotent: every module hosted in one process calls it.</summary>
    public static IHostApplicationBuilder AddLmisSecurity(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(CallerAuthorizationResults)))
        {
            return builder;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddRegion(builder.Configuration);
        var identityProvider = IdentityProviderSettings.From(builder.Configuration);
        var gatewayKey = GatewayTokens.KeyFrom(builder.Configuration);
        if (gatewayKey is not null)
        {
            services.AddSingleton(sp => new GatewayTokens(gatewayKey, sp.GetRequiredService<TimeProvider>()));
        }

        var authentication = services.AddAuthentication(Selector)
            .AddPolicyScheme(Selector, "LMIS credentials", options => options.ForwardDefaultSelector = context =>
                SchemeFor(context, identityProvider is not null, gatewayKey is not null))
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, UnsupportedCredentialHandler>(UnsupportedCredentialHandler.SchemeName, null);
        if (gatewayKey is not null)
        {
            authentication.AddJwtBearer(Gateway, options =>
            {
                options.MapInboundClaims = false;
                options.IncludeErrorDetails = false;
                options.TokenValidationParameters = GatewayTokens.Validation(gatewayKey);
            });
        }

        if (identityProvider is not null)
        {
            authentication.AddJwtBearer(IdentityProvider, options => identityProvider.Configure(options));
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(AccessPolicies.Publisher, policy => policy
                .RequireClaim(AccessClaims.Role, AccessRoles.Publisher)
                .RequireClaim(AccessClaims.Country))
            .AddPolicy(AccessPolicies.Secretariat, policy => policy.RequireClaim(AccessClaims.Role, AccessRoles.Secretariat));
        services.AddSingleton<CallerAuthorizationResults>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler>(sp => sp.GetRequiredService<CallerAuthorizationResults>());
        return builder;
    }

    /// <summary>Authentication, refusal of bad credentials, then authorization; once per process.</summary>
    public static WebApplication UseLmisSecurity(this WebApplication app)
    {
        const string Marker = "Lmis.Security";
        if (((IApplicationBuilder)app).Properties.TryAdd(Marker, true))
        {
            app.UseAuthentication();
            app.UseMiddleware<Audit.AuditWrites>();
            app.Use(RefuseInvalidCredentials);
            app.UseAuthorization();
        }

        return app;
    }

    private static async Task RefuseInvalidCredentials(HttpContext context, RequestDelegate next)
    {
        // The authentication middleware keeps successes only; the handler remembers its result for the request,
        // so asking again costs nothing and tells a failed credential from none.
        if (context.User.Identity?.IsAuthenticated != true && (await context.AuthenticateAsync()).Failure is { } failure)
        {
            var answer = CredentialRefusals.AnswerFor(failure);
            if (CredentialRefusals.HidesDetails(failure))
            {
                // The operator's view of why: an expired token is routine, any other failure may be a forgery.
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SecurityExtensions)).Log(
                    answer == CredentialRefusals.Expired ? LogLevel.Information : LogLevel.Warning,
                    "A bearer token was refused on {Action}: {Reason}", CallRefusal.ActionOf(context), failure.Message);
            }

            await CallRefusal.WriteAsync(context, StatusCodes.Status401Unauthorized, Grpc.Core.StatusCode.Unauthenticated, answer);
            return;
        }

        await next(context);
    }

    /// <summary>
    /// Which handler checks the presented credential. A request that is ambiguous about who it is (two credentials,
    /// a header sent twice, an Authorization header that is not a bearer token) is refused, never guessed at.
    /// </summary>
    private static string SchemeFor(HttpContext context, bool identityProvider, bool gateway)
    {
        var headers = context.Request.Headers;
        var authorizations = headers.Authorization;
        var apiKeys = headers[ApiKeyAuthenticationHandler.Header];
        if (authorizations.Count == 0)
        {
            return apiKeys.Count > 1
                ? Unsupported(context, $"Send one API key in one {ApiKeyAuthenticationHandler.Header} header.")
                : ApiKeyAuthenticationHandler.SchemeName;
        }

        if (authorizations.Count > 1 || apiKeys.Count > 0)
        {
            return Unsupported(context, $"Send one credential: an API key in one {ApiKeyAuthenticationHandler.Header} header or one bearer token, not both.");
        }

        var authorization = authorizations.ToString().Trim();
        const string Bearer = "Bearer ";
        if (!authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) || authorization.Length == Bearer.Length)
        {
            return Unsupported(context, "The Authorization header must be 'Bearer' followed by a token.");
        }

        string? issuer = null;
        try
        {
            issuer = new JsonWebToken(authorization[Bearer.Length..].Trim()).Issuer;
        }
        catch (ArgumentException)
        {
            // Not a JWT: refused below.
        }

        if (issuer == GatewayTokens.Issuer && gateway)
        {
            return Gateway;
        }

        if (issuer is not null && issuer != GatewayTokens.Issuer && identityProvider)
        {
            return IdentityProvider;
        }

        return Unsupported(context, issuer switch
        {
            null => "The bearer token is not a JWT.",
            // The issuer is the caller's own text: echoed only when it is short and printable.
            { Length: <= 200 } when !issuer.Any(char.IsControl) => $"Bearer tokens from '{issuer}' are not accepted here.",
            _ => "Bearer tokens from this issuer are not accepted here.",
        });
    }

    private static string Unsupported(HttpContext context, string reason)
    {
        context.Items[UnsupportedCredentialHandler.ReasonItem] = reason;
        return UnsupportedCredentialHandler.SchemeName;
    }
}

/// <summary>Says what was refused and why, in the caller's protocol, instead of a bare 401/403.</summary>
internal sealed class CallerAuthorizationResults : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var needed = string.Join(" or ", context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Select(a => a.Policy).OfType<string>().Distinct(StringComparer.Ordinal) ?? []);
        var action = CallRefusal.ActionOf(context);
        var caller = Caller.From(context);
        if (!caller.IsAuthenticated)
        {
            await CallRefusal.WriteAsync(context, StatusCodes.Status401Unauthorized, Grpc.Core.StatusCode.Unauthenticated,
                $"{action} needs a {needed} credential: send an API key in the {ApiKeyAuthenticationHandler.Header} header or a bearer token.");
            return;
        }

        await CallRefusal.WriteAsync(context, StatusCodes.Status403Forbidden, Grpc.Core.StatusCode.PermissionDenied,
            $"{action} is for the {needed}; {caller} may not call it.");
    }
}

/// <summary>
/// The member states' identity provider (<c>Lmis:Security:Jwt</c>): <c>Issuer</c>, <c>Audience</c>, and either
/// <c>Authority</c> (keys found by OpenID Connect discovery) or <c>SigningKeys</c> (a JWKS document). The caller's
/// role and member state come from the claims named by <c>RoleClaim</c> (default <c>role</c>) and
/// <c>CountryClaim</c> (default <c>country</c>).
/// </summary>
internal sealed record IdentityProviderSettings(
    string Issuer, string Audience, string? Authority, string? SigningKeys, string RoleClaim, string CountryClaim)
{
    public static IdentityProviderSettings? From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Lmis:Security:Jwt");
        if (string.IsNullOrWhiteSpace(section["Issuer"]))
        {
            return null;
        }

        var settings = new IdentityProviderSettings(
            section["Issuer"]!,
            section["Audience"] ?? throw new InvalidOperationException("Lmis:Security:Jwt:Audience is required with Lmis:Security:Jwt:Issuer."),
            section["Authority"], section["SigningKeys"], section["RoleClaim"] ?? "role", section["CountryClaim"] ?? "country");
        if (settings.Authority is null && settings.SigningKeys is null)
        {
            throw new InvalidOperationException("Set Lmis:Security:Jwt:Authority (OpenID Connect discovery) or Lmis:Security:Jwt:SigningKeys (a JWKS document).");
        }

        return settings;
    }

    public void Configure(JwtBearerOptions options)
    {
        options.MapInboundClaims = false;
        // A challenge's WWW-Authenticate would otherwise describe why validation failed.
        options.IncludeErrorDetails = false;
        options.Authority = Authority;
        options.RequireHttpsMetadata = Authority?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ?? true;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKeys = SigningKeys is null ? null : new JsonWebKeySet(SigningKeys).GetSigningKeys(),
            ClockSkew = TimeSpan.FromMinutes(1),
        };
        options.Events = new JwtBearerEvents { OnTokenValidated = MapToCaller };
    }

    /// <summary>Replaces the provider's claims with the caller as LMIS knows it, or refuses the token saying why.</summary>
    private Task MapToCaller(TokenValidatedContext context)
    {
        var principal = context.Principal!;
        var role = principal.FindFirst(RoleClaim)?.Value;
        if (!AccessRoles.IsKnown(role))
        {
            context.Fail(new CredentialRefusedException($"The token's '{RoleClaim}' claim must be {AccessRoles.Publisher} or {AccessRoles.Secretariat}."));
            return Task.CompletedTask;
        }

        string? country = null;
        if (role == AccessRoles.Publisher)
        {
            var region = context.HttpContext.RequestServices.GetRequiredService<Region>();
            var claimed = principal.FindFirst(CountryClaim)?.Value;
            country = region.Find(claimed ?? string.Empty)?.Alpha3;
            if (country is null)
            {
                context.Fail(new CredentialRefusedException($"A publisher's token needs a '{CountryClaim}' claim naming a member state of {region.Id} (got '{claimed}')."));
                return Task.CompletedTask;
            }
        }

        var subject = principal.FindFirst("sub")?.Value ?? principal.Identity?.Name ?? "unknown";
        context.Principal = Caller.Principal(context.Scheme.Name, subject, role!, country, "jwt:" + Issuer);
        return Task.CompletedTask;
    }
}

/// <summary>Addresses as audit records show them.</summary>
public static class AddressFormat
{
    public static string? Of(IPAddress? address) => address?.IsIPv4MappedToIPv6 == true ? address.MapToIPv4().ToString() : address?.ToString();
}
