using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using Lmis.BuildingBlocks.Errors;

namespace Lmis.Statistics.Sdmx.Rest;

/// <summary>
/// An SDMX REST error in the kind of message the client asked for: an SDMX-JSON message with <c>errors</c> when it
/// asked for SDMX-JSON, an SDMX-ML 2.1 <c>Error</c> message when it asked for SDMX-ML, and otherwise (CSV has no
/// error message, and a 406 has no kind at all) an RFC 7807 problem like the rest of LMIS's REST API. Each carries
/// the HTTP status, the SDMX error code of that status (100 no results, 140 syntax, 150 semantic, 501 not
/// implemented...), the detail, and the field errors as <c>{field, value, reason}</c> or one sentence each.
/// </summary>
public static class SdmxErrors
{

    /// <summary>The SDMX error code SDMX REST gives for an HTTP status.</summary>
    public static int SdmxCode(int status) => status switch
    {
        StatusCodes.Status404NotFound => 100,
        StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden => 110,
        StatusCodes.Status413PayloadTooLarge => 130,
        StatusCodes.Status400BadRequest or StatusCodes.Status406NotAcceptable or StatusCodes.Status414UriTooLong => 140,
        StatusCodes.Status422UnprocessableEntity => 150,
        StatusCodes.Status501NotImplemented => 501,
        StatusCodes.Status503ServiceUnavailable => 503,
        _ => 500,
    };

    public static async Task WriteAsync(
        HttpContext context, SdmxChoice? asked, int status, string detail, IReadOnlyList<FieldError>? errors = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        var title = ReasonPhrases(status);
        var lines = (errors ?? []).Select(e => e.Value is null ? $"{e.Field}: {e.Reason}" : $"{e.Field} '{e.Value}': {e.Reason}").ToArray();
        var mediaType = asked?.Kind.MediaType ?? string.Empty;
        if (mediaType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            response.ContentType = asked!.Kind.MediaType;
            await using var json = new Utf8JsonWriter(response.Body);
            json.WriteStartObject();
            json.WriteStartObject("meta");
            json.WriteString("id", "ERROR-" + Guid.CreateVersion7().ToString("N"));
            json.WriteBoolean("test", false);
            json.WriteString("prepared", SdmxTime.Of(DateTimeOffset.UtcNow));
            json.WriteStartObject("sender");
            json.WriteString("id", BuiltInDataflows.Agency);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartArray("errors");
            json.WriteStartObject();
            // SDMX-JSON 2.0's status message: title and detail, each also as a localised object (titles, details);
            // the field errors are part of the detail, one sentence each.
            var full = lines.Length == 0 ? detail : detail + " " + string.Join(" ", lines.Select(l => l.TrimEnd('.') + "."));
            json.WriteNumber("code", SdmxCode(status));
            json.WriteString("title", title);
            json.WriteStartObject("titles");
            json.WriteString("en", title);
            json.WriteEndObject();
            json.WriteString("detail", full);
            json.WriteStartObject("details");
            json.WriteString("en", full);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            await json.FlushAsync(context.RequestAborted);
            return;
        }

        if (mediaType.Contains("xml", StringComparison.OrdinalIgnoreCase))
        {
            response.ContentType = asked!.Kind.MediaType;
            await using var xml = XmlWriter.Create(response.Body, new XmlWriterSettings { Async = true, Encoding = new UTF8Encoding(false) });
            await xml.WriteStartDocumentAsync();
            await xml.WriteStartElementAsync("mes", "Error", SdmxMlNamespaces.Message);
            await xml.WriteAttributeStringAsync("xmlns", "com", null, SdmxMlNamespaces.Common);
            await xml.WriteStartElementAsync("mes", "ErrorMessage", SdmxMlNamespaces.Message);
            await xml.WriteAttributeStringAsync(null, "code", null, SdmxCode(status).ToString(CultureInfo.InvariantCulture));
            foreach (var text in lines.Prepend(detail).Prepend(title))
            {
                await xml.WriteStartElementAsync("com", "Text", SdmxMlNamespaces.Common);
                await xml.WriteAttributeStringAsync("xml", "lang", null, "en");
                await xml.WriteStringAsync(text);
                await xml.WriteEndElementAsync();
            }

            await xml.WriteEndElementAsync();
            await xml.WriteEndElementAsync();
            await xml.WriteEndDocumentAsync();
            await xml.FlushAsync();
            return;
        }

        var extensions = new Dictionary<string, object?> { ["sdmxCode"] = SdmxCode(status) };
        if (errors is { Count: > 0 })
        {
            extensions["errors"] = FieldErrorShapes.ToProblemErrors(errors);
        }

        await Results.Problem(statusCode: status, title: title, detail: detail, extensions: extensions).ExecuteAsync(context);
    }

    private static string ReasonPhrases(int status) => status switch
    {
        StatusCodes.Status404NotFound => "No results found",
        StatusCodes.Status400BadRequest => "Syntax error",
        StatusCodes.Status422UnprocessableEntity => "Semantic error",
        StatusCodes.Status501NotImplemented => "Not implemented",
        _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
    };
}
