using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Google.Protobuf;

namespace Lmis.EndToEnd.Tests;

/// <summary>
/// Requests exactly as a hostile client writes them: HTTP/1.1 bytes on a socket (no client library tidies the path,
/// refuses a header or merges duplicates), and gRPC calls to any path over cleartext HTTP/2.
/// </summary>
public static class RawHttp
{
    public sealed record Answer(int Status, string Head, string Body)
    {
        /// <summary>The problem's <c>detail</c>, or null when the answer is no problem document.</summary>
        public string? Detail
        {
            get
            {
                var start = Body.IndexOf('{', StringComparison.Ordinal);
                var end = Body.LastIndexOf('}');
                if (start < 0 || end < start)
                {
                    return null;
                }

                using var json = System.Text.Json.JsonDocument.Parse(Body[start..(end + 1)]);
                return json.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() : null;
            }
        }
    }

    /// <summary>Sends <paramref name="method"/> <paramref name="target"/> with the header lines as given, and a JSON body if any.</summary>
    public static async Task<Answer> SendAsync(string baseUrl, string method, string target, IEnumerable<string> headerLines, string? json, CancellationToken ct)
    {
        var uri = new Uri(baseUrl);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port, ct);
        await using var stream = tcp.GetStream();
        var body = json is null ? [] : Encoding.UTF8.GetBytes(json);
        var head = new StringBuilder()
            .Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(uri.Authority).Append("\r\n")
            .Append("Connection: close\r\n");
        foreach (var line in headerLines)
        {
            head.Append(line).Append("\r\n");
        }

        if (json is not null)
        {
            head.Append("Content-Type: application/json\r\n").Append("Content-Length: ").Append(body.Length).Append("\r\n");
        }

        head.Append("\r\n");
        try
        {
            await stream.WriteAsync(Encoding.Latin1.GetBytes(head.ToString()), ct);
            await stream.WriteAsync(body, ct);
        }
        catch (IOException)
        {
            // The server may answer and close before reading all of an oversized request: its answer is still there.
        }

        using var buffer = new MemoryStream();
        try
        {
            await stream.CopyToAsync(buffer, ct);
        }
        catch (IOException) when (buffer.Length > 0)
        {
            // A reset after the answer was sent.
        }

        var text = Encoding.UTF8.GetString(buffer.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var answerHead = split < 0 ? text : text[..split];
        var status = answerHead.Length >= 12 && int.TryParse(answerHead.AsSpan(9, 3), out var code) ? code : 0;
        return new Answer(status, answerHead, split < 0 ? string.Empty : text[(split + 4)..]);
    }

    public sealed record GrpcAnswer(string? Status, string? RawMessage);

    /// <summary>A unary gRPC call to <paramref name="path"/> as written, with a well-formed message.</summary>
    public static async Task<GrpcAnswer> GrpcAsync(string grpcUrl, string path, IMessage message, CancellationToken ct, string? bearer = null)
    {
        using var http = new HttpClient(new SocketsHttpHandler()) { Timeout = TimeSpan.FromSeconds(20) };
        var payload = message.ToByteArray();
        var frame = new byte[5 + payload.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1, 4), payload.Length);
        payload.CopyTo(frame, 5);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(grpcUrl.TrimEnd('/') + path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("TE", "trailers");
        if (bearer is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + bearer);
        }

        using var response = await http.SendAsync(request, ct);
        await response.Content.ReadAsByteArrayAsync(ct);
        string? Header(string name) =>
            response.TrailingHeaders.TryGetValues(name, out var trailer) ? trailer.First()
            : response.Headers.TryGetValues(name, out var header) ? header.First() : null;
        return new GrpcAnswer(Header("grpc-status"), Header("grpc-message"));
    }
}
