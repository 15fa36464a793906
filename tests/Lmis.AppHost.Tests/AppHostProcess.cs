using System.Collections.Concurrent;
using System.Diagnostics;

namespace Lmis.AppHost.Tests;

/// <summary>
/// The built AppHost run as a separate process, as `dotnet run` runs it: from its project folder, with its output
/// kept. Stopped with SIGTERM (so the orchestrator stops every resource), killed with its children if it lingers.
/// </summary>
public sealed class AppHostProcess : IAsyncDisposable
{
    /// <summary>Two minutes (1,200 reads 100 ms apart) for Aspire's orchestrator to come up instead of its default 30 s.</summary>
    public const string OrchestratorStartupAllowance = "--DcpPublisher:KubernetesConfigReadRetryCount=1200";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private AppHostProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The AppHost's project folder (its content root under `dotnet run`).</summary>
    // Aspire's generated metadata names the project's folder (older versions named its .csproj).
    public static string ProjectDirectory { get; } = Directory.Exists(Projects.Lmis_AppHost.ProjectPath)
        ? Projects.Lmis_AppHost.ProjectPath
        : Path.GetDirectoryName(Projects.Lmis_AppHost.ProjectPath)!;

    /// <summary>Lmis.AppHost.dll as built beside this test assembly (same configuration).</summary>
    public static string Assembly { get; } = Path.Combine(ProjectDirectory, "bin", Configuration, "net10.0", "Lmis.AppHost.dll");

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output => string.Join('\n', _lines);

    private static string Configuration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    public static AppHostProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = ProjectDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Only what the test sets: not the environment of a developer's shell or of the test runner's own AppHost.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ASPIRE_", StringComparison.Ordinal) || k.StartsWith("Lmis__", StringComparison.Ordinal) || k.StartsWith("DOTNET_DASHBOARD", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return new AppHostProcess(Process.Start(start)!);
    }

    /// <summary>Waits for the process to end by itself; false if it still runs after <paramref name="within"/>.</summary>
    public async Task<bool> ExitsWithinAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            // The asynchronous readers may still hold the last lines.
            _process.WaitForExit();
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The first output line containing <paramref name="text"/>, once it is printed.</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan within, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            var line = _lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            if (line is not null)
            {
                return line;
            }

            if (_process.HasExited)
            {
                break;
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"The AppHost printed no line with '{text}':\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM: the AppHost's graceful stop, which stops the orchestrator and every resource it started.
            using (var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
            {
                await term!.WaitForExitAsync();
            }

            if (!await ExitsWithinAsync(TimeSpan.FromSeconds(30), CancellationToken.None))
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }
}
