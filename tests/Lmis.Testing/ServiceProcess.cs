using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Lmis.Testing;

/// <summary>
/// One LMIS process (a built service, the gateway or the standalone host) started as a separate OS process, as
/// in production. Its output is kept for failure messages; it is killed, with its children, on dispose, and
/// every one still running is killed when the test run ends, so a failed test leaves nothing behind.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private bool _disposed;
    private ProcessStartInfo? _killedStart;

    static ServiceProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var process in Running.Values)
            {
                TryKill(process);
            }
        };
    }

    private ServiceProcess(string name, string httpUrl, string grpcUrl, Process process)
    {
        Name = name;
        HttpUrl = httpUrl;
        GrpcUrl = grpcUrl;
        _process = process;
    }

    public string Name { get; }

    /// <summary>The process's HTTP/1.1 endpoint (REST, health).</summary>
    public string HttpUrl { get; }

    /// <summary>The process's cleartext HTTP/2 endpoint (gRPC).</summary>
    public string GrpcUrl { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The gateway's configuration for the given services, as Aspire writes it.</summary>
    public static Dictionary<string, string> GatewayDestinations(ServiceProcess taxonomy, ServiceProcess vacancies, ServiceProcess statistics) => new()
    {
        ["services__taxonomy__http__0"] = taxonomy.HttpUrl,
        ["services__taxonomy__grpc__0"] = taxonomy.GrpcUrl,
        ["services__vacancies__http__0"] = vacancies.HttpUrl,
        ["services__vacancies__grpc__0"] = vacancies.GrpcUrl,
        ["services__statistics__http__0"] = statistics.HttpUrl,
        ["services__statistics__grpc__0"] = statistics.GrpcUrl,
    };

    /// <summary>The operating system's id of the running process (for /proc figures).</summary>
    public int ProcessId => _process.Id;

    /// <summary>CPU time the process has used so far.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>
    /// Starts <c>dotnet binary</c> on two free loopback ports with the given configuration, or on the URLs it names
    /// (<c>Kestrel__Endpoints__http__Url</c>, <c>…grpc…</c>) when another process must know them before this one starts.
    /// </summary>
    public static ServiceProcess Start(string name, string binary, IReadOnlyDictionary<string, string> environment)
    {
        var httpUrl = environment.GetValueOrDefault("Kestrel__Endpoints__http__Url") ?? $"http://127.0.0.1:{FreePort.Next()}";
        var grpcUrl = environment.GetValueOrDefault("Kestrel__Endpoints__grpc__Url") ?? $"http://127.0.0.1:{FreePort.Next()}";
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(binary)!,
        };
        start.ArgumentList.Add(binary);
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        start.Environment["Kestrel__Endpoints__http__Url"] = httpUrl;
        start.Environment["Kestrel__Endpoints__grpc__Url"] = grpcUrl;
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var service = new ServiceProcess(name, httpUrl, grpcUrl, null!);
        service._process = service.Launch(start);
        return service;
    }

    private Process Launch(ProcessStartInfo start)
    {
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Running[process.Id] = process;
        return process;
    }

    /// <summary>Waits until <c>/health</c> answers 200, or fails with the process's last output.</summary>
    public async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        string last = "no answer yet";
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was healthy.\n{Output()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(HttpUrl + "/health"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (TaskCanceledException)
            {
                last = "health check timed out";
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{Name} was not healthy after {timeout.TotalSeconds}s (last: {last}).\n{Output()}");
    }

    /// <summary>Kills the process and starts it again on the same ports and configuration (a crash and restart).</summary>
    public async Task RestartAsync(TimeSpan timeout)
    {
        await KillAsync();
        await StartAgainAsync(timeout);
    }

    /// <summary>Kills the process (SIGKILL, no shutdown of its own) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        _killedStart = _process.StartInfo;
        TryKill(_process);
        await _process.WaitForExitAsync();
        Running.TryRemove(_process.Id, out _);
        Keep($"--- {Name} killed ---");
    }

    /// <summary>Starts a killed process again on the same ports and configuration, and waits until it is healthy.</summary>
    public async Task StartAgainAsync(TimeSpan timeout)
    {
        var start = _killedStart ?? throw new InvalidOperationException($"{Name} was not killed.");
        _killedStart = null;
        _process.Dispose();
        Keep($"--- {Name} started again ---");
        _process = Launch(start);
        await WaitUntilHealthyAsync(timeout);
    }

    /// <summary>The last lines the process wrote, for failure messages.</summary>
    public string Output(int lines = 60)
    {
        var all = _output.ToArray();
        var builder = new StringBuilder($"--- last output of {Name} ---\n");
        foreach (var line in all.Skip(Math.Max(0, all.Length - lines)))
        {
            builder.AppendLine(line);
        }

        return builder.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        TryKill(_process);
        try
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
        }

        Running.TryRemove(_process.Id, out _);
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 2000 && _output.TryDequeue(out _))
        {
        }
    }

    private static void TryKill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }
}
