using System.Security.Claims;
using Lmis.Access.Storage;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.BuildingBlocks.Security;

namespace Lmis.Access.Keys;

/// <summary>
/// Issuing, rotating, revoking and checking API keys. A publisher key is bound to one member state; a secretariat
/// key to none. The secret is returned once and only its hash is kept. A key whose secret sits in the
/// <see cref="SecretariatKeyFile"/> takes the file along when it is rotated or revoked.
/// </summary>
public sealed class ApiKeys(IApiKeyStore store, Region region, TimeProvider time, SecretariatKeyFile? keyFile = null) : IApiKeyVerifier
{
    public const int MaxNameLength = 200;

    public async Task<(ApiKeyRecord Key, string Secret)> CreateAsync(string name, string role, string country, string createdBy, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        name = name.Trim();
        if (name.Length == 0 || name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            errors.Add(new FieldError("name", name, $"required: who holds the key, at most {MaxNameLength} characters, no control characters"));
        }

        role = role.Trim().ToLowerInvariant();
        string? alpha3 = null;
        if (!AccessRoles.IsKnown(role))
        {
            errors.Add(new FieldError("role", role, $"{AccessRoles.Publisher} or {AccessRoles.Secretariat}"));
        }
        else if (role == AccessRoles.Publisher)
        {
            alpha3 = region.Find(country)?.Alpha3;
            if (alpha3 is null)
            {
                errors.Add(new FieldError("country", country, $"a publisher key needs the member state it writes for ({region.Id}: ISO 3166-1 alpha-3)"));
            }
        }
        else if (!string.IsNullOrWhiteSpace(country))
        {
            errors.Add(new FieldError("country", country, "a secretariat key is not bound to a member state; leave it empty"));
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException("API key", errors);
        }

        var secret = ApiKeyRecord.NewSecret();
        var key = new ApiKeyRecord(ApiKeyRecord.NewId(), name, role, alpha3, ApiKeyRecord.HashOf(secret), time.GetUtcNow(), createdBy);
        await store.AddAsync(key, cancellationToken);
        return (key, secret);
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(string country, bool includeRevoked, CancellationToken cancellationToken) =>
        await store.ListAsync(region.MemberFilter(country, "Key listing"), includeRevoked, cancellationToken);

    public async Task<(ApiKeyRecord Key, string Secret)> RotateAsync(string id, string by, CancellationToken cancellationToken)
    {
        var old = await FindValidAsync(id, cancellationToken);
        var secret = ApiKeyRecord.NewSecret();
        var replacement = old with
        {
            Id = ApiKeyRecord.NewId(),
            SecretHash = ApiKeyRecord.HashOf(secret),
            CreatedAt = time.GetUtcNow(),
            CreatedBy = by,
            RotatedFrom = old.Id,
        };
        if (!await store.RotateAsync(old.Id, replacement, cancellationToken))
        {
            throw new NotFoundException($"API key '{id}' was revoked meanwhile; nothing was rotated.");
        }

        if (keyFile is not null)
        {
            await keyFile.FollowRotationAsync(old, secret, cancellationToken);
        }

        return (replacement, secret);
    }

    public async Task<ApiKeyRecord> RevokeAsync(string id, string by, CancellationToken cancellationToken)
    {
        var revoked = await store.RevokeAsync(id.Trim(), time.GetUtcNow(), by, cancellationToken)
            ?? throw new NotFoundException($"No API key '{id}'.");
        if (keyFile is not null)
        {
            await keyFile.FollowRevocationAsync(revoked, cancellationToken);
        }

        return revoked;
    }

    /// <summary>Registers a key the operator chose (the first secretariat key), unless the same secret is already registered.</summary>
    public async Task RegisterAsync(string name, string role, string? country, string secret, CancellationToken cancellationToken)
    {
        var hash = ApiKeyRecord.HashOf(secret);
        if (await store.FindByHashAsync(hash, cancellationToken) is null)
        {
            await store.AddAsync(new ApiKeyRecord(ApiKeyRecord.NewId(), name, role, country, hash, time.GetUtcNow(), "configuration"), cancellationToken);
        }
    }

    public async Task<ClaimsPrincipal?> VerifyAsync(string presentedKey, string scheme, CancellationToken cancellationToken)
    {
        // Anything longer than any key this service issues or accepts is not worth hashing.
        if (presentedKey.Length > 512)
        {
            return null;
        }

        var key = await store.FindByHashAsync(ApiKeyRecord.HashOf(presentedKey), cancellationToken);
        return key is null || key.IsRevoked
            ? null
            : Caller.Principal(scheme, key.Name, key.Role, key.Country, "api-key:" + key.Id);
    }

    private async Task<ApiKeyRecord> FindValidAsync(string id, CancellationToken cancellationToken)
    {
        var key = await store.FindAsync(id.Trim(), cancellationToken) ?? throw new NotFoundException($"No API key '{id}'.");
        return key.IsRevoked
            ? throw new ValidationFailedException("API key", [new FieldError("id", id, "this key is revoked; create a new one")])
            : key;
    }
}
