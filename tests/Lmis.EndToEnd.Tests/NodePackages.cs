using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Lmis.EndToEnd.Tests;

/// <summary>
/// Third-party tools from npm, at pinned versions, installed once per machine into a cache folder named after them,
/// and run with Node.js there (so scripts and programs beside them resolve the packages); a skip naming why when
/// Node.js or npm cannot be had here.
/// </summary>
public sealed class NodePackages(string name, params string[] packages)
{
    // One npm install at a time on this machine: two into one folder would corrupt it.
    private static readonly SemaphoreSlim Installing = new(1, 1);

    /// <summary>The cache folder, named by the pinned packages (a stable hash: string hashes change per process).</summary>
    public string Folder { get; } = Path.Combine(Path.GetTempPath(),
        $"lmis-npm-{name}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(' ', packages))))[..12]}");

    public async Task InstallAsync(CancellationToken ct)
    {
        await Installing.WaitAsync(ct);
        try
        {
            var installed = Path.Combine(Folder, ".installed");
            if (File.Exists(installed))
            {
                return;
            }

            Directory.CreateDirectory(Folder);
            var (exit, output) = await RunAsync("npm", ["install", "--no-audit", "--no-fund", "--prefix", Folder, .. packages], Folder, ct);
            if (exit != 0)
            {
                Assert.Skip($"{string.Join(", ", packages)} could not be installed from npm here (exit {exit}): {output}");
            }

            await File.WriteAllTextAsync(installed, string.Join('\n', packages), ct);
        }
        finally
        {
            Installing.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="script"/> with Node.js where the packages resolve, and returns the JSON of the last line it
    /// printed; the test fails with the script's output if it exits with an error.
    /// </summary>
    public async Task<JsonElement> RunScriptAsync(string script, string[] arguments, CancellationToken ct)
    {
        await InstallAsync(ct);
        var (exit, output) = await RunAsync("node", ["-e", script, .. arguments], Folder, ct);
        Assert.True(exit == 0, output);
        return LastLine(output);
    }

    /// <summary>A fresh folder inside the install, for one run's files (they resolve the packages from there).</summary>
    public string WorkFolder(string purpose)
    {
        var folder = Path.Combine(Folder, "runs", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Runs a command of the installed packages (<c>node_modules/.bin</c>) in <paramref name="folder"/>.</summary>
    public Task<(int Exit, string Output)> RunToolAsync(string tool, string[] arguments, string folder, CancellationToken ct) =>
        RunAsync(Path.Combine(Folder, "node_modules", ".bin", tool), arguments, folder, ct);

    /// <summary>The JSON of the last line a run printed.</summary>
    public static JsonElement LastLine(string output) => JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;

    /// <summary>Runs a program in <paramref name="folder"/> for at most two minutes: its exit code, then what it wrote to stdout and stderr.</summary>
    public static async Task<(int Exit, string Output)> RunAsync(string program, string[] arguments, string folder, CancellationToken ct)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = folder,
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
