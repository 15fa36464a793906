using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Lmis.BuildingBlocks.Security;

/// <summary>
/// The short-lived tokens the gateway hands the services for a caller it has authenticated (by API key or by the
/// identity provider's token), so a service knows who is calling without seeing the caller's secret. Signed with
/// <c>Lmis:Security:GatewayTokenKey</c>, a secret shared by the gateway and the services only.
/// </summary>
public sealed class GatewayTokens(SecurityKey key, TimeProvider time)
{
    public const string ConfigurationKey = "Lmis:Security:GatewayTokenKey";
    public const string Issuer = "lmis-gateway";
    public const string Audience = "lmis-services";

    /// <summary>Long enough for a slow feed to start; a revoked key is refused at the gateway on its next call anyway.</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly SigningCredentials _signing = new(key, SecurityAlgorithms.HmacSha256);
    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>The signing key from configuration; any secret of at least 32 characters, hashed to 256 bits.</summary>
    public static SecurityKey? KeyFrom(IConfiguration configuration)
    {
        var secret = configuration[ConfigurationKey];
        if (string.IsNullOrWhiteSpace(secret))
        {
            return null;
        }

        return KeyFromSecret(secret);
    }

    public static SecurityKey KeyFromSecret(string secret) =>
        secret.Length < 32
            ? throw new InvalidOperationException($"{ConfigurationKey} must be a random secret of at least 32 characters.")
            : new SymmetricSecurityKey(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static TokenValidationParameters Validation(SecurityKey key) => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        NameClaimType = AccessClaims.Subject,
        RoleClaimType = AccessClaims.Role,
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    public string Issue(ClaimsPrincipal caller, string? clientAddress)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var type in new[] { AccessClaims.Subject, AccessClaims.Role, AccessClaims.Country, AccessClaims.Credential })
        {
            if (caller.FindFirst(type)?.Value is { } value)
            {
                claims[type] = value;
            }
        }

        if (clientAddress is not null)
        {
            claims[AccessClaims.ClientAddress] = clientAddress;
        }

        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            Claims = claims,
            SigningCredentials = _signing,
        });
    }
}
