using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace Lmis.BuildingBlocks.Security;

/// <summary>Who is calling, in the users' terms: a member state's publisher, the secretariat, or anyone.</summary>
public sealed record Caller(string Subject, string Role, string? Country, string Credential, string? ClientAddress)
{
    public bool IsAuthenticated => Role is not AccessRoles.Anonymous;

    /// <summary>The member state a publisher writes for; the publisher policy has already made sure there is one.</summary>
    public string PublisherCountry => Country ?? throw new Errors.AccessDeniedException("The credential is not bound to a member state.");

    public static Caller From(HttpContext context)
    {
        var user = context.User;
        var address = user.FindFirstValue(AccessClaims.ClientAddress) ?? AddressFormat.Of(context.Connection.RemoteIpAddress);
        if (user.Identity?.IsAuthenticated != true)
        {
            return new Caller(AccessRoles.Anonymous, AccessRoles.Anonymous, null, string.Empty, address);
        }

        return new Caller(
            user.FindFirstValue(AccessClaims.Subject) ?? "unknown",
            user.FindFirstValue(AccessClaims.Role) ?? AccessRoles.Anonymous,
            user.FindFirstValue(AccessClaims.Country),
            user.FindFirstValue(AccessClaims.Credential) ?? string.Empty,
            address);
    }

    /// <summary>The claims of an authenticated caller, as every authentication scheme here builds them.</summary>
    public static ClaimsPrincipal Principal(string scheme, string subject, string role, string? country, string credential, string? clientAddress = null)
    {
        var claims = new List<Claim>
        {
            new(AccessClaims.Subject, subject),
            new(AccessClaims.Role, role),
            new(AccessClaims.Credential, credential),
        };
        if (!string.IsNullOrEmpty(country))
        {
            claims.Add(new Claim(AccessClaims.Country, country));
        }

        if (!string.IsNullOrEmpty(clientAddress))
        {
            claims.Add(new Claim(AccessClaims.ClientAddress, clientAddress));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, AccessClaims.Subject, AccessClaims.Role));
    }

    public override string ToString() => Role switch
    {
        AccessRoles.Publisher => $"publisher '{Subject}' of {Country}",
        AccessRoles.Secretariat => $"secretariat '{Subject}'",
        _ => "an anonymous caller",
    };
}
