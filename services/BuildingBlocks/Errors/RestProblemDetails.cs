using System.Text.Json;
using System.Text.Json.Nodes;
using Lmis.Contracts.Errors.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Lmis.BuildingBlocks.Errors;

/// <summary>
/// REST callers get errors as RFC 7807 problem details. JSON transcoding writes a failed gRPC call as a
/// google.rpc.Status document (<c>{code, message, details}</c>); this middleware rewrites exactly those error
/// responses into <c>application/problem+json</c>, keeping the gRPC code and any per-field errors as
/// <c>errors: [{field, value, reason}]</c>. Successful responses pass straight through, unbuffered
/// (server-streaming responses stay streams).
/// </summary>
public sealed class RestProblemDetailsMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true)
        {
            await next(context);
            return;
        }

        var original = context.Response.Body;
        await using var capture = new ErrorCapturingStream(original, context.Response);
        context.Response.Body = capture;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        if (capture.Captured is { } body)
        {
            await WriteProblemAsync(context, body);
        }
    }

    // Messages quote values ('7112'); keep them readable rather than \u0027-escaped.
    private static readonly JsonSerializerOptions ProblemJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static async Task WriteProblemAsync(HttpContext context, byte[] body)
    {
        JsonNode? status = null;
        try
        {
            status = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            // Not a google.rpc.Status: send what was written, untouched.
        }

        if (status is not JsonObject { } grpcStatus || grpcStatus["code"] is null)
        {
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body);
            return;
        }

        var problem = new JsonObject
        {
            ["type"] = $"https://httpstatuses.io/{context.Response.StatusCode}",
            ["title"] = ReasonPhrases.GetReasonPhrase(context.Response.StatusCode),
            ["status"] = context.Response.StatusCode,
            ["detail"] = grpcStatus["message"]?.GetValue<string>(),
            ["instance"] = context.Request.Path.Value,
            ["grpcStatus"] = grpcStatus["code"]?.GetValue<int>(),
        };
        if (FieldErrorsOf(grpcStatus["details"] as JsonArray ?? []) is { Count: > 0 } fieldErrors)
        {
            problem["errors"] = FieldErrorShapes.ToProblemErrors(fieldErrors);
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(problem, ProblemJson);
        context.Response.ContentType = "application/problem+json";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes);
    }

    private static readonly string FieldErrorsType = "type.googleapis.com/" + FieldErrors.Descriptor.FullName;

    /// <summary>
    /// The field errors of a transcoded status: its lmis.errors.v1.FieldErrors detail, written by
    /// <see cref="ServiceErrorInterceptor"/> from the structured <see cref="FieldError"/>s, so field, value and reason
    /// come apart as they were and are never parsed back out of a description.
    /// </summary>
    private static List<FieldError> FieldErrorsOf(JsonArray details)
    {
        var errors = new List<FieldError>();
        foreach (var detail in details.OfType<JsonObject>())
        {
            if (detail["@type"]?.GetValue<string>() == FieldErrorsType)
            {
                errors.AddRange((detail["errors"] as JsonArray ?? []).OfType<JsonObject>().Select(e => new FieldError(
                    e["field"]?.GetValue<string>() ?? string.Empty, e["value"]?.GetValue<string>(), e["reason"]?.GetValue<string>() ?? string.Empty)));
            }
        }

        if (errors.Count == 0)
        {
            // A BadRequest with no FieldErrors beside it was not raised by the interceptor: its description is all
            // there is to give, as the reason, with no value claimed.
            errors.AddRange(details.OfType<JsonObject>()
                .SelectMany(d => d["fieldViolations"] as JsonArray ?? [])
                .OfType<JsonObject>()
                .Select(v => new FieldError(v["field"]?.GetValue<string>() ?? string.Empty, null, v["description"]?.GetValue<string>() ?? string.Empty)));
        }

        return errors;
    }

    /// <summary>Passes writes through unless the response is a JSON error, which it keeps for rewriting.</summary>
    private sealed class ErrorCapturingStream(Stream inner, HttpResponse response) : Stream
    {
        private MemoryStream? _buffer;
        private bool _decided;

        public byte[]? Captured => _buffer?.ToArray();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) =>
            Target().Write(buffer, offset, count);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Target().WriteAsync(buffer, offset, count, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            Target().WriteAsync(buffer, cancellationToken);

        public override void Flush()
        {
            if (_buffer is null)
            {
                inner.Flush();
            }
        }

        public override Task FlushAsync(CancellationToken cancellationToken) =>
            _buffer is null ? inner.FlushAsync(cancellationToken) : Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        private Stream Target()
        {
            if (!_decided)
            {
                _decided = true;
                if (response.StatusCode >= 400
                    && response.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
                {
                    _buffer = new MemoryStream();
                    response.ContentLength = null;
                }
            }

            return _buffer ?? inner;
        }
    }
}

public static class RestProblemDetailsExtensions
{
    public static IApplicationBuilder UseRestProblemDetails(this IApplicationBuilder app) =>
        app.UseMiddleware<RestProblemDetailsMiddleware>();
}
