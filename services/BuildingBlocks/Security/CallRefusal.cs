using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Lmis.BuildingBlocks.Security;

/// <summary>
/// Refuses a call before it reaches a service method, in the caller's protocol: a gRPC status with its message
/// (UNAUTHENTICATED, PERMISSION_DENIED, RESOURCE_EXHAUSTED) or RFC 7807 problem details (401, 403, 429).
/// </summary>
public static class CallRefusal
{
    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>"lmis.vacancies.v1.VacanciesService/PublishVacancy" for gRPC, "POST /api/v1/vacancies:csv" for REST.</summary>
    public static string ActionOf(HttpContext context) =>
        IsGrpc(context.Request)
            ? context.Request.Path.Value?.TrimStart('/') ?? string.Empty
            : $"{context.Request.Method} {context.Request.Path}";

    public static async Task WriteAsync(HttpContext context, int httpStatus, StatusCode grpcStatus, string message, TimeSpan? retryAfter = null)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (IsGrpc(context.Request))
        {
            // A trailers-only gRPC response: HTTP 200 with the status in the headers.
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/grpc";
            response.Headers["grpc-status"] = ((int)grpcStatus).ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.Headers["grpc-message"] = GrpcMessage(message);
            return;
        }

        await Results.Problem(statusCode: httpStatus, detail: message).ExecuteAsync(context);
    }

    /// <summary>
    /// A status message as the gRPC protocol carries it in <c>grpc-message</c>: printable ASCII as it is, every other
    /// byte of its UTF-8 (and '%') percent-encoded. Escaping more (a URI escape turns '/' and ':' into %2F and %3A)
    /// leaves clients that decode only what the protocol encodes, such as grpc-js, reading the escapes.
    /// </summary>
    public static string GrpcMessage(string message)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(message);
        var encoded = new System.Text.StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and <= 0x7E and not (byte)'%')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }
}
