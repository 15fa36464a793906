using System.Text.Json.Nodes;
using Lmis.Contracts.Errors.V1;

namespace Lmis.BuildingBlocks.Errors;

/// <summary>
/// The one shape of field errors on both protocols, written in one place: a REST problem's <c>errors</c> items
/// <c>{field, value, reason}</c> and the gRPC status detail <c>lmis.errors.v1.FieldErrors</c> with the same three.
/// </summary>
public static class FieldErrorShapes
{
    /// <summary>A problem's <c>errors</c>: <c>value</c> shortened as refusals quote it, null when there is none.</summary>
    public static JsonArray ToProblemErrors(IEnumerable<FieldError> errors) =>
        [.. errors.Select(e => new JsonObject { ["field"] = e.Field, ["value"] = e.ShownValue, ["reason"] = e.Reason })];

    /// <summary>The status detail beside google.rpc.BadRequest, in the same order.</summary>
    public static FieldErrors ToDetail(IEnumerable<FieldError> errors)
    {
        var detail = new FieldErrors();
        foreach (var error in errors)
        {
            var item = new FieldErrors.Types.FieldError { Field = error.Field, Reason = error.Reason };
            if (error.ShownValue is { } value)
            {
                item.Value = value;
            }

            detail.Errors.Add(item);
        }

        return detail;
    }

    /// <summary>The field errors a detail carries (a value it does not have is null, not "").</summary>
    public static IReadOnlyList<FieldError> FromDetail(FieldErrors detail) =>
        [.. detail.Errors.Select(e => new FieldError(e.Field, e.HasValue ? e.Value : null, e.Reason))];
}
