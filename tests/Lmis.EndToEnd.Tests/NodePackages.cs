using System.Text.Json;

namespace Lmis.EndToEnd.Tests;

/// <summary>
/// Third-party tools from npm, at pinned versions, installed once per machine into a cache folder named after them,
/// and run with Node.js there (so scripts and programs beside them resolve the packages); a skip naming why when
/// Node.js or npm cannot be had here.
/// </summary>
public sealed class NodePackages(string name, params string[] packages)
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"lmis-npm-{name}-{Math.Abs(string.Join(' ', packages).GetHashCode(StringComparison.Ordinal)):x}");

    // One npm install at a time on this machine: two into one folder would corrupt it.
    private static readonly SemaphoreSlim Installing = new(1, 1);

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
            var (exit, output) = await GrpcJs.RunAsync("npm", ["install", "--no-audit", "--no-fund", "--prefix", Folder, .. packages], ct, Folder);
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

    /// <summary>A fresh folder inside the install, for one run's files (they resolve the packages from there).</summary>
    public string WorkFolder(string purpose)
    {
        var folder = Path.Combine(Folder, "runs", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Runs a command of the installed packages (<c>node_modules/.bin</c>) in <paramref name="folder"/>.</summary>
    public Task<(int Exit, string Output)> RunToolAsync(string tool, string[] arguments, string folder, CancellationToken ct) =>
        GrpcJs.RunAsync(Path.Combine(Folder, "node_modules", ".bin", tool), arguments, ct, folder);

    /// <summary>The JSON of the last line a run printed.</summary>
    public static JsonElement LastLine(string output) => JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
}
