using System.Security.Cryptography;
using System.Text;

namespace Lmis.Access.Keys;

/// <summary>An issued API key as stored: who holds it and what it may do, and only the hash of its secret.</summary>
public sealed record ApiKeyRecord(
    string Id, string Name, string Role, string? Country, string SecretHash, DateTimeOffset CreatedAt, string CreatedBy,
    DateTimeOffset? RevokedAt = null, string? RevokedBy = null, string? RotatedFrom = null)
{
    public bool IsRevoked => RevokedAt is not null;

    /// <summary>
    /// SHA-256 of the secret, hex. Secrets are 256 random bits, so a fast hash is enough: there is nothing to guess
    /// from it, and a lookup by hash needs no per-key salt.
    /// </summary>
    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>A new secret: "lmis_" and 43 URL-safe characters (32 random bytes).</summary>
    public static string NewSecret() =>
        "lmis_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A short public identifier, safe to show in lists and audit entries.</summary>
    public static string NewId() => "key_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
