using System.Globalization;
using Grpc.Core;
using Lmis.Access.Keys;
using Lmis.BuildingBlocks.Audit;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.BuildingBlocks.Security;
using Lmis.Contracts.Access.V1;
using Lmis.Contracts.Audit.V1;
using Microsoft.AspNetCore.Authorization;

namespace Lmis.Access.Grpc;

/// <summary>The secretariat's key management, over gRPC and REST (<c>/api/v1/access/...</c>).</summary>
[Authorize(Policy = AccessPolicies.Secretariat)]
public sealed class AccessGrpcService(ApiKeys keys, Region region, [FromKeyedServices(AccessModule.Service)] AuditTrail audit)
    : AccessService.AccessServiceBase
{
    [Write(AccessRoles.Secretariat)]
    public override async Task<IssuedApiKey> CreateApiKey(CreateApiKeyRequest request, ServerCallContext context)
    {
        context.AuditSummary($"create {request.Role} key '{request.Name}' {request.Country}".TrimEnd());
        var (key, secret) = await keys.CreateAsync(request.Name, request.Role, request.Country, By(context), context.CancellationToken);
        context.AuditSummary($"created {key.Role} key {key.Id} '{key.Name}' {key.Country}".TrimEnd());
        return new IssuedApiKey { Key = ToMessage(key), Secret = secret };
    }

    public override async Task<ListApiKeysResponse> ListApiKeys(ListApiKeysRequest request, ServerCallContext context)
    {
        var list = await keys.ListAsync(request.Country, request.IncludeRevoked, context.CancellationToken);
        return new ListApiKeysResponse { Keys = { list.Select(ToMessage) } };
    }

    [Write(AccessRoles.Secretariat)]
    public override async Task<IssuedApiKey> RotateApiKey(RotateApiKeyRequest request, ServerCallContext context)
    {
        context.AuditSummary($"rotate key {request.Id}");
        var (key, secret) = await keys.RotateAsync(request.Id, By(context), context.CancellationToken);
        context.AuditSummary($"rotated key {request.Id} to {key.Id}");
        return new IssuedApiKey { Key = ToMessage(key), Secret = secret };
    }

    [Write(AccessRoles.Secretariat)]
    public override async Task<ApiKey> RevokeApiKey(RevokeApiKeyRequest request, ServerCallContext context)
    {
        context.AuditSummary($"revoke key {request.Id}");
        return ToMessage(await keys.RevokeAsync(request.Id, By(context), context.CancellationToken));
    }

    public override Task<ListAuditRecordsResponse> ListAuditRecords(ListAuditRecordsRequest request, ServerCallContext context) =>
        audit.ListAsync(request, region, context.CancellationToken);

    private static string By(ServerCallContext context) => Caller.From(context.GetHttpContext()).Subject;

    private static ApiKey ToMessage(ApiKeyRecord key) => new()
    {
        Id = key.Id,
        Name = key.Name,
        Role = key.Role,
        Country = key.Country ?? string.Empty,
        CreatedAt = Time(key.CreatedAt),
        CreatedBy = key.CreatedBy,
        RevokedAt = key.RevokedAt is { } at ? Time(at) : string.Empty,
        RevokedBy = key.RevokedBy ?? string.Empty,
        RotatedFrom = key.RotatedFrom ?? string.Empty,
    };

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
