namespace Lmis.BuildingBlocks.Security;

/// <summary>
/// What a credential may do. A publisher writes its own member state's data only; the secretariat reads
/// everything and manages taxonomies, dataset definitions and credentials; anyone may read what is public.
/// </summary>
public static class AccessRoles
{
    public const string Publisher = "publisher";
    public const string Secretariat = "secretariat";
    public const string Anonymous = "anonymous";

    public static bool IsKnown(string? role) => role is Publisher or Secretariat;
}

/// <summary>The claims every LMIS process reads a caller from, whatever credential it came with.</summary>
public static class AccessClaims
{
    public const string Subject = "sub";
    public const string Role = "lmis_role";

    /// <summary>ISO 3166-1 alpha-3 code of the member state a publisher writes for.</summary>
    public const string Country = "lmis_country";

    /// <summary>"api-key:&lt;id&gt;" or "jwt:&lt;issuer&gt;".</summary>
    public const string Credential = "lmis_credential";

    /// <summary>The caller's address as the gateway saw it (carried in the gateway's tokens to the services).</summary>
    public const string ClientAddress = "lmis_client_address";
}

/// <summary>Authorization policy names, used as <c>[Authorize(Policy = ...)]</c> or through <see cref="WriteAttribute"/>.</summary>
public static class AccessPolicies
{
    public const string Publisher = AccessRoles.Publisher;
    public const string Secretariat = AccessRoles.Secretariat;
}
