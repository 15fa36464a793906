using System.Diagnostics;
using System.Text.Json;

namespace Lmis.EndToEnd.Tests;

/// <summary>
/// A unary call made by grpc-js (<c>@grpc/grpc-js</c> from npm, what Node.js clients use, with <c>@grpc/proto-loader</c>),
/// installed once per machine into a cache folder. grpc-js decodes only what the gRPC protocol escapes, so it shows a
/// message escaped twice.
/// </summary>
public static class GrpcJs
{
    private const string Version = "1.14.7";

    private const string ProtoLoaderVersion = "0.8.1";

    private static readonly string Folder = Path.Combine(Path.GetTempPath(), $"lmis-grpc-js-{Version}-{ProtoLoaderVersion}");

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
    public static async Task<JsonElement> RunScriptAsync(string script, string[] arguments, CancellationToken ct)
    {
        await InstallAsync(ct);
        var (exit, output) = await RunAsync("node", ["-e", script, .. arguments], ct);
        Assert.True(exit == 0, output);
        return JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
    }

    private static async Task InstallAsync(CancellationToken ct)
    {
        if (Directory.Exists(Path.Combine(Folder, "node_modules", "@grpc", "grpc-js"))
            && Directory.Exists(Path.Combine(Folder, "node_modules", "@grpc", "proto-loader")))
        {
            return;
        }

        Directory.CreateDirectory(Folder);
        var (exit, output) = await RunAsync("npm", ["install", "--no-audit", "--no-fund", "--prefix", Folder, $"@grpc/grpc-js@{Version}", $"@grpc/proto-loader@{ProtoLoaderVersion}"], ct);
        if (exit != 0)
        {
            Assert.Skip($"grpc-js and proto-loader could not be installed from npm here (exit {exit}): {output}");
        }
    }

    /// <summary>Runs a program in <paramref name="folder"/> (by default grpc-js's), so <c>node -e</c> resolves the packages installed there.</summary>
    internal static async Task<(int Exit, string Output)> RunAsync(string program, string[] arguments, CancellationToken ct, string? folder = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = folder ?? Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Skip($"{program} is not installed here: {e.Message}");
            throw;
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout + await stderr);
        }
    }
}
