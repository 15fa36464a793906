using Lmis.Access.Keys;

namespace Lmis.Access.Storage;

/// <summary>Where issued keys are kept. Both adapters pass the same conformance suite.</summary>
public interface IApiKeyStore
{
    Task<ApiKeyRecord?> FindByHashAsync(string secretHash, CancellationToken cancellationToken);

    Task<ApiKeyRecord?> FindAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiKeyRecord>> ListAsync(string? country, bool includeRevoked, CancellationToken cancellationToken);

    Task<bool> AnyAsync(CancellationToken cancellationToken);

    Task AddAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    /// <summary>Revokes a valid key; null if there is no such key, the stored key unchanged if it was already revoked.</summary>
    Task<ApiKeyRecord?> RevokeAsync(string id, DateTimeOffset at, string by, CancellationToken cancellationToken);

    /// <summary>Adds the replacement and revokes the old key together; false (nothing written) if the old key is not valid.</summary>
    Task<bool> RotateAsync(string oldId, ApiKeyRecord replacement, CancellationToken cancellationToken);
}
