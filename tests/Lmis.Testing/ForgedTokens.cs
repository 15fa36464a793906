using System.Text;
using Lmis.BuildingBlocks.Security;
using Microsoft.IdentityModel.Tokens;

namespace Lmis.Testing;

/// <summary>
/// Bearer tokens a hostile caller makes: claims of its choosing under a junk signature, no signature at all
/// (<c>alg: none</c>), a key of its own, or expired — and what a refusal of them must never reveal.
/// </summary>
public static class ForgedTokens
{
    /// <summary>A JWT from the parts given; the signature is whatever the caller wrote.</summary>
    public static string Compose(object header, object payload, string signature) =>
        $"{Encode(header)}.{Encode(payload)}.{signature}";

    public static string JunkSignature(string issuer, string audience, string? keyId = null) => Compose(
        keyId is null ? new { alg = "HS256", typ = "JWT" } : new { alg = "HS256", typ = "JWT", kid = keyId },
        Publisher(issuer, audience, DateTimeOffset.UtcNow.AddMinutes(5)),
        Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes("not-a-signature-at-all-0123456789")));

    public static string WithoutSignature(string issuer, string audience) =>
        Compose(new { alg = "none", typ = "JWT" }, Publisher(issuer, audience, DateTimeOffset.UtcNow.AddMinutes(5)), string.Empty);

    /// <summary>A gateway token signed with some other secret than the one the stack shares.</summary>
    public static string GatewayTokenOfAnotherKey() => TestCaller.Publisher("MEX").TokenSignedWith(TestCaller.NewGatewayTokenKey());

    /// <summary>A gateway token, correctly signed with <paramref name="gatewayTokenKey"/>, that expired ten minutes ago.</summary>
    public static string ExpiredGatewayToken(string gatewayTokenKey) =>
        new GatewayTokens(GatewayTokens.KeyFromSecret(gatewayTokenKey), new PastTime(TimeSpan.FromMinutes(15)))
            .Issue(Caller.Principal("test", "ministry-MEX", AccessRoles.Publisher, "MEX", "test:ministry-MEX"), "192.0.2.10");

    /// <summary>Text that would tell a caller how tokens are checked: IdentityModel's codes, key ids, key thumbprints.</summary>
    public static IReadOnlyList<string> Internals(string? gatewayTokenKey = null, params string[] keyIds)
    {
        var internals = new List<string> { "IDX", "InternalId", "kid", "thumbprint", "Microsoft.IdentityModel", "SecurityToken", "Exception" };
        internals.AddRange(keyIds);
        if (gatewayTokenKey is not null)
        {
            internals.Add(Base64UrlEncoder.Encode(GatewayTokens.KeyFromSecret(gatewayTokenKey).ComputeJwkThumbprint()));
        }

        return internals;
    }

    private static object Publisher(string issuer, string audience, DateTimeOffset expires) => new Dictionary<string, object>
    {
        ["iss"] = issuer,
        ["aud"] = audience,
        ["sub"] = "ministry-MEX",
        ["role"] = AccessRoles.Publisher,
        ["country"] = "MEX",
        ["nbf"] = expires.AddMinutes(-10).ToUnixTimeSeconds(),
        ["exp"] = expires.ToUnixTimeSeconds(),
    };

    private static string Encode(object part) => Base64UrlEncoder.Encode(System.Text.Json.JsonSerializer.Serialize(part));

    private sealed class PastTime(TimeSpan ago) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() - ago;
    }
}
