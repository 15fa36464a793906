using System.Globalization;
using System.Text.Json;
using Google.Protobuf.Reflection;
using Lmis.BuildingBlocks.Security;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Lmis.BuildingBlocks.Errors;

/// <summary>
/// Checks a REST call's JSON body and query parameters against the gRPC message they become, before JSON
/// transcoding reads them. Transcoding drops members it does not know in silence (a vacancy sent with
/// <c>wageMin</c> would be stored without a wage) and answers a value of the wrong type with one bare sentence;
/// here each such member is refused by name, with its value and the type expected, as a 400 problem.
/// </summary>
public sealed class TranscodedRequestCheck(RequestDelegate next)
{
    /// <summary>Deeper than any LMIS message nests; a deeper document is refused before it is walked.</summary>
    private const int MaxDepth = 16;

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is not { } transcoded)
        {
            await next(context);
            return;
        }

        var errors = new List<FieldError>();
        var input = transcoded.MethodDescriptor.InputType;
        CheckQuery(context.Request.Query, input, errors);
        if (BodyMessage(transcoded, input) is { } body && context.Request.ContentLength != 0
            && context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
        {
            context.Request.EnableBuffering();
            // Resolved here, not in the constructor: a process without gRPC services (the gateway) has no limits to give.
            var limits = context.RequestServices.GetRequiredService<ServiceLimits>();
            try
            {
                await CheckBodyAsync(context.Request.Body, limits.MessageMaxBytes, body.Message, body.Path, errors, context.RequestAborted);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                await Results.Problem(statusCode: e.StatusCode, detail: e.Message).ExecuteAsync(context);
                return;
            }

            context.Request.Body.Position = 0;
        }

        if (errors.Count > 0)
        {
            await new ValidationFailedException("Request", errors).ToProblem().ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    /// <summary>The message the body becomes (<c>body: "*"</c>: the request; <c>body: "vacancy"</c>: that field's), or null.</summary>
    private static (MessageDescriptor Message, string Path)? BodyMessage(GrpcJsonTranscodingMetadata transcoded, MessageDescriptor input) =>
        transcoded.HttpRule.Body switch
        {
            "" => null,
            "*" => (input, string.Empty),
            var field when input.FindFieldByName(field) is { FieldType: FieldType.Message, IsRepeated: false } f => (f.MessageType, string.Empty),
            _ => null,
        };

    private static async Task CheckBodyAsync(Stream body, int maxBytes, MessageDescriptor message, string path, List<FieldError> errors, CancellationToken cancellationToken)
    {
        try
        {
            using var json = await JsonDocument.ParseAsync(
                new BoundedStream(body, maxBytes, $"A request body is at most {maxBytes} bytes."),
                new JsonDocumentOptions { MaxDepth = MaxDepth },
                cancellationToken);
            CheckMessage(json.RootElement, message, path, errors);
        }
        catch (JsonException e)
        {
            errors.Add(new FieldError("(body)", null,
                $"not JSON this API reads (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {FirstSentence(e.Message)}"));
        }
    }

    private static void CheckMessage(JsonElement json, MessageDescriptor message, string path, List<FieldError> errors)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(path.Length == 0 ? "(body)" : path, Quote(json), $"expected a JSON object ({message.Name})"));
            return;
        }

        foreach (var member in json.EnumerateObject())
        {
            var field = message.FindFieldByName(member.Name) ?? message.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == member.Name);
            var at = Join(path, member.Name);
            if (field is null)
            {
                errors.Add(new FieldError(at, Quote(member.Value),
                    $"not a member of {message.Name} ({string.Join(", ", message.Fields.InDeclarationOrder().Select(f => f.JsonName))})"));
            }
            else
            {
                CheckField(member.Value, field, at, errors);
            }
        }
    }

    private static void CheckField(JsonElement value, FieldDescriptor field, string path, List<FieldError> errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return; // proto3 JSON: null is the field's default.
        }

        if (field.IsMap)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new FieldError(path, Quote(value), "expected a JSON object of keys and values"));
                return;
            }

            var entry = field.MessageType.FindFieldByNumber(2);
            foreach (var item in value.EnumerateObject())
            {
                CheckSingle(item.Value, entry, Join(path, item.Name), errors);
            }

            return;
        }

        if (field.IsRepeated)
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                errors.Add(new FieldError(path, Quote(value), $"expected a JSON array of {Expected(field)}"));
                return;
            }

            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                CheckSingle(item, field, $"{path}[{i++}]", errors);
            }

            return;
        }

        CheckSingle(value, field, path, errors);
    }

    private static void CheckSingle(JsonElement value, FieldDescriptor field, string path, List<FieldError> errors)
    {
        if (field.FieldType == FieldType.Message && !IsWellKnown(field.MessageType))
        {
            CheckMessage(value, field.MessageType, path, errors);
            return;
        }

        var fits = field.FieldType switch
        {
            FieldType.String => value.ValueKind == JsonValueKind.String,
            FieldType.Bool => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _),
            FieldType.UInt32 or FieldType.Fixed32 => value.ValueKind == JsonValueKind.Number && value.TryGetUInt32(out _),
            // 64-bit integers may come as strings: JavaScript cannot hold them exactly as numbers.
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => value.ValueKind == JsonValueKind.Number
                ? value.TryGetInt64(out _)
                : value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            FieldType.UInt64 or FieldType.Fixed64 => value.ValueKind == JsonValueKind.Number
                ? value.TryGetUInt64(out _)
                : value.ValueKind == JsonValueKind.String && ulong.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out _),
            FieldType.Double or FieldType.Float => value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number),
            FieldType.Bytes => value.ValueKind == JsonValueKind.String && value.TryGetBytesFromBase64(out _),
            FieldType.Enum => value.ValueKind == JsonValueKind.String
                ? field.EnumType.FindValueByName(value.GetString()!) is not null
                : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _),
            _ => true, // Well-known types (timestamps, durations…) are the transcoder's to read.
        };
        if (!fits)
        {
            errors.Add(new FieldError(path, Quote(value), $"expected {Expected(field)}"));
        }
    }

    /// <summary>Query parameters name fields of the request (<c>after</c>, <c>wage.min</c>): a value must fit its field's type.</summary>
    private static void CheckQuery(IQueryCollection query, MessageDescriptor input, List<FieldError> errors)
    {
        foreach (var (name, values) in query)
        {
            if (FieldAt(input, name) is not { } field || field.FieldType is FieldType.String or FieldType.Message)
            {
                continue; // Unknown parameters are not the transcoder's concern (other handlers share the paths).
            }

            foreach (var text in values.OfType<string>())
            {
                var fits = field.FieldType switch
                {
                    FieldType.Bool => text is "true" or "false",
                    FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
                    FieldType.UInt32 or FieldType.Fixed32 => uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _),
                    FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
                    FieldType.UInt64 or FieldType.Fixed64 => ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _),
                    FieldType.Double or FieldType.Float => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d),
                    FieldType.Enum => field.EnumType.FindValueByName(text) is not null || int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
                    _ => true,
                };
                if (!fits)
                {
                    errors.Add(new FieldError(name, text, $"expected {Expected(field)}"));
                }
            }
        }
    }

    private static FieldDescriptor? FieldAt(MessageDescriptor message, string path)
    {
        FieldDescriptor? field = null;
        foreach (var part in path.Split('.'))
        {
            if (message is null)
            {
                return null;
            }

            field = message.FindFieldByName(part) ?? message.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == part);
            if (field is null)
            {
                return null;
            }

            message = field.FieldType == FieldType.Message ? field.MessageType : null!;
        }

        return field;
    }

    private static string Expected(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.String => "a JSON string",
        FieldType.Bool => "true or false",
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => $"a whole number from {int.MinValue} to {int.MaxValue}",
        FieldType.UInt32 or FieldType.Fixed32 => $"a whole number from 0 to {uint.MaxValue}",
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => "a whole number (64-bit; as a number or a string of digits)",
        FieldType.UInt64 or FieldType.Fixed64 => "a whole number from 0 (64-bit; as a number or a string of digits)",
        FieldType.Double or FieldType.Float => "a JSON number",
        FieldType.Bytes => "base64 text",
        FieldType.Enum => $"one of {string.Join(", ", field.EnumType.Values.Select(v => v.Name))}",
        FieldType.Message => $"a JSON object ({field.MessageType.Name})",
        _ => field.FieldType.ToString(),
    };

    private static bool IsWellKnown(MessageDescriptor message) => message.File.Package == "google.protobuf";

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    /// <summary>The value as it was sent, shortened: a refusal quotes it, it does not echo a whole document.</summary>
    private static string Quote(JsonElement value)
    {
        var raw = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        return FieldError.Shorten(raw);
    }

    private static string FirstSentence(string message) =>
        message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd();
}
