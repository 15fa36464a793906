using System.Text.Json;

namespace Lmis.EndToEnd.Tests;

/// <summary>
/// A unary call made by grpc-js (<c>@grpc/grpc-js</c> from npm, what Node.js clients use, with <c>@grpc/proto-loader</c>),
/// installed once per machine into a cache folder. grpc-js decodes only what the gRPC protocol escapes, so it shows a
/// message escaped twice.
/// </summary>
public static class GrpcJs
{
    private static readonly NodePackages Packages = new("grpc-js", "@grpc/grpc-js@1.14.7", "@grpc/proto-loader@0.8.1");

    private const string Script = """
        const grpc = require('@grpc/grpc-js');
        const [address, path, hex] = process.argv.slice(1);
        const client = new grpc.Client(address, grpc.credentials.createInsecure());
        client.makeUnaryRequest(path, x => x, x => x, Buffer.from(hex, 'hex'), (error) => {
          console.log(JSON.stringify({ code: error ? error.code : 0, details: error ? error.details : '' }));
          client.close();
        });
        """;

    public sealed record Status(int Code, string Details);

    /// <summary>The status grpc-js reports, or a skip naming why grpc-js could not be run here.</summary>
    public static async Task<Status> CallAsync(string grpcUrl, string path, byte[] message, CancellationToken ct)
    {
        var status = await RunScriptAsync(Script, [new Uri(grpcUrl).Authority, path, Convert.ToHexString(message)], ct);
        return new Status(status.GetProperty("code").GetInt32(), status.GetProperty("details").GetString()!);
    }

    /// <summary>
    /// Runs <paramref name="script"/> with Node.js where <c>@grpc/grpc-js</c> and <c>@grpc/proto-loader</c> resolve, and
    /// returns the JSON of the last line it printed; a skip naming why if Node.js or the packages are not to be had here.
    /// </summary>
    public static Task<JsonElement> RunScriptAsync(string script, string[] arguments, CancellationToken ct) =>
        Packages.RunScriptAsync(script, arguments, ct);
}
