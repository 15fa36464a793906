using System.Text.Json;
using Google.Rpc;
using Grpc.Core;
using Lmis.BuildingBlocks.Errors;
using Xunit;

namespace Lmis.Testing;

/// <summary>The field errors of a refusal, read as a client reads them: from a REST problem or a gRPC status's details.</summary>
public static class Refusals
{
    /// <summary>
    /// A problem's <c>errors</c>, asserting each is exactly <c>{field, value, reason}</c> with <c>value</c> a string or
    /// null, the shape the contract promises; none when the problem lists none.
    /// </summary>
    public static IReadOnlyList<FieldError> ProblemErrors(JsonElement problem)
    {
        if (!problem.TryGetProperty("errors", out var errors))
        {
            return [];
        }

        return [.. errors.EnumerateArray().Select(e =>
        {
            Assert.Equal(["field", "value", "reason"], e.EnumerateObject().Select(m => m.Name));
            var value = e.GetProperty("value");
            Assert.True(value.ValueKind is JsonValueKind.String or JsonValueKind.Null, e.ToString());
            return new FieldError(e.GetProperty("field").GetString()!, value.GetString(), e.GetProperty("reason").GetString()!);
        })];
    }

    /// <summary>The status a refused gRPC call carries in its trailers (grpc-status-details-bin), or null.</summary>
    public static Google.Rpc.Status? Status(RpcException refused) =>
        refused.Trailers.GetValueBytes("grpc-status-details-bin") is { } details ? Google.Rpc.Status.Parser.ParseFrom(details) : null;

    /// <summary>The google.rpc.BadRequest field violations of a refused gRPC call.</summary>
    public static IReadOnlyList<BadRequest.Types.FieldViolation> Violations(RpcException refused) =>
        [.. Status(refused)?.Details.Where(d => d.Is(BadRequest.Descriptor)).SelectMany(d => d.Unpack<BadRequest>().FieldViolations) ?? []];

    /// <summary>The field errors of a refused gRPC call, field, value and reason apart, from its lmis.errors.v1.FieldErrors detail.</summary>
    public static IReadOnlyList<FieldError> FieldErrors(RpcException refused) =>
        [.. Status(refused)?.Details.Where(d => d.Is(Contracts.Errors.V1.FieldErrors.Descriptor))
            .SelectMany(d => FieldErrorShapes.FromDetail(d.Unpack<Contracts.Errors.V1.FieldErrors>())) ?? []];
}
