namespace Lmis.BuildingBlocks.Errors;

/// <summary>One thing wrong with one field of what a caller sent: which field, the value, and why.</summary>
public sealed record FieldError(string Field, string? Value, string Reason)
{
    /// <summary>The most of a value a refusal quotes back.</summary>
    public const int MaxShownValueLength = 80;

    /// <summary>The value as a refusal quotes it: a long one shortened, never a whole document sent back.</summary>
    public string? ShownValue => Value is null ? null : Shorten(Value);

    /// <summary>The value and the reason, as callers read them beside the field: "'9999': not an ISCO-08 code".</summary>
    public string Description => ShownValue is null ? Reason : $"'{ShownValue}': {Reason}";

    public override string ToString() =>
        Value is null ? $"{Field}: {Reason}" : $"{Field} '{ShownValue}': {Reason}";

    /// <summary>Its first <see cref="MaxShownValueLength"/> characters and "…" when longer.</summary>
    public static string Shorten(string value) => value.Length <= MaxShownValueLength ? value : value[..MaxShownValueLength] + "…";
}

/// <summary>What a caller sent breaks the rules; nothing was stored. Reaches gRPC callers as INVALID_ARGUMENT
/// with every field error as a google.rpc.BadRequest and an lmis.errors.v1.FieldErrors detail, and REST callers as
/// a 400 problem whose <c>errors</c> are <c>{field, value, reason}</c>.</summary>
public sealed class ValidationFailedException : Exception
{
    public ValidationFailedException(string subject, IReadOnlyList<FieldError> errors)
        : base($"{subject} rejected: {string.Join("; ", errors)}")
    {
        Errors = errors;
    }

    public IReadOnlyList<FieldError> Errors { get; }

    /// <summary>The refusal as a 400 problem for endpoints outside gRPC transcoding, with the same <c>errors</c> list.</summary>
    public Microsoft.AspNetCore.Http.IResult ToProblem() => Microsoft.AspNetCore.Http.Results.Problem(
        statusCode: Microsoft.AspNetCore.Http.StatusCodes.Status400BadRequest,
        title: "Bad Request",
        detail: Message,
        extensions: new Dictionary<string, object?> { ["errors"] = FieldErrorShapes.ToProblemErrors(Errors) });
}

/// <summary>The thing asked for does not exist. gRPC NOT_FOUND, HTTP 404.</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>Another service this one needs did not answer. gRPC UNAVAILABLE, HTTP 503.</summary>
public sealed class DependencyUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The caller is who it says, but may not do this (e.g. write another member state's data). gRPC
/// PERMISSION_DENIED, HTTP 403.</summary>
public sealed class AccessDeniedException(string message) : Exception(message);
