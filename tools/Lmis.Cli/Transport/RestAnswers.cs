using System.Net;
using System.Text.Json;

namespace Lmis.Cli.Transport;

/// <summary>
/// A REST answer as a user reads it, with the exit codes of <see cref="Refusals"/>: a request LMIS refused or a thing
/// it does not hold is 1, credentials 4, the server or the network 3. LMIS's problems (RFC 7807) say what and why.
/// </summary>
public static class RestAnswers
{
    /// <summary>Sends the request and returns its answer if it succeeded; otherwise ends the command, saying why.</summary>
    public static async Task<HttpResponseMessage> SendAsync(LmisConnection connection, HttpRequestMessage request, string subject, string credentialHint, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        request.Version = connection.Rest.DefaultRequestVersion;
        request.VersionPolicy = connection.Rest.DefaultVersionPolicy;
        try
        {
            response = await connection.Rest.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CommandFailedException(ExitCodes.Server, $"{connection.Server}: {e.Message}");
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var problem = await ProblemAsync(response, cancellationToken);
            var exitCode = response.StatusCode switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ExitCodes.Credentials,
                >= HttpStatusCode.InternalServerError and not HttpStatusCode.NotImplemented => ExitCodes.Server,
                _ => ExitCodes.Refused,
            };
            throw new CommandFailedException(exitCode, exitCode == ExitCodes.Credentials
                ? $"refused: {problem} ({credentialHint})"
                : $"{subject}: {(int)response.StatusCode} {problem}");
        }
    }

    /// <summary>A problem's detail and its field errors, or the body as it came.</summary>
    private static async Task<string> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var text = root.TryGetProperty("detail", out var detail) ? detail.GetString() : root.TryGetProperty("title", out var title) ? title.GetString() : body;
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                text += string.Concat(errors.EnumerateArray().Select(e =>
                    $"\n  {Text(e, "field")}: '{Text(e, "value")}': {Text(e, "reason")}"));
            }

            return text ?? body;
        }
        catch (JsonException)
        {
            return body.Length > 500 ? body[..500] : body;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
