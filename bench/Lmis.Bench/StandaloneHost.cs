using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using Lmis.Contracts.Access.V1;
using Lmis.Contracts.Taxonomy.V1;

namespace Lmis.Bench;

/// <summary>
/// A running LMIS under measurement, reached at one gRPC address with a secretariat key set at start and one
/// publisher key per member state issued through the access API, as ministries would hold them.
/// </summary>
public abstract class LmisUnderTest(string grpcUrl, string secretariatKey) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Task<string>> _publisherKeys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, GrpcChannel> _channels = new(StringComparer.Ordinal);

    public string GrpcUrl => grpcUrl;

    public string SecretariatKey => secretariatKey;

    /// <summary>Where its data files are.</summary>
    public abstract IEnumerable<FileInfo> DataFiles();

    /// <summary>CPU time its processes have used so far.</summary>
    public abstract TimeSpan CpuTime();

    /// <summary>Its processes' peak resident memory (VmHWM), in MB, added up.</summary>
    public abstract double PeakMemoryMb();

    /// <summary>A channel that sends <paramref name="apiKey"/> with every call (anonymous when null).</summary>
    public GrpcChannel Channel(string? apiKey) => _channels.GetOrAdd(apiKey ?? string.Empty, key =>
        GrpcChannel.ForAddress(GrpcUrl, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = 256 * 1024 * 1024,
            Credentials = key.Length == 0 ? ChannelCredentials.Insecure
                : ChannelCredentials.Create(ChannelCredentials.Insecure, CallCredentials.FromInterceptor((_, metadata) =>
                {
                    metadata.Add("x-api-key", key);
                    return Task.CompletedTask;
                })),
            UnsafeUseInsecureChannelCallCredentials = true,
        }));

    public Task<string> PublisherKeyAsync(string country) => _publisherKeys.GetOrAdd(country, async c =>
        (await new AccessService.AccessServiceClient(Channel(SecretariatKey)).CreateApiKeyAsync(
            new CreateApiKeyRequest { Name = $"bench feed {c}", Role = "publisher", Country = c })).Secret);

    /// <summary>The peak resident memory (VmHWM) of one process, in MB.</summary>
    protected static double PeakMemoryMb(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    public abstract ValueTask DisposeAsync();

    protected void CloseChannels()
    {
        foreach (var channel in _channels.Values)
        {
            channel.Dispose();
        }
    }

    /// <summary>Waits until the taxonomy API answers through <see cref="GrpcUrl"/>.</summary>
    protected async Task WaitUntilAnsweringAsync()
    {
        var taxonomy = new TaxonomyService.TaxonomyServiceClient(Channel(null));
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await taxonomy.ListSchemesAsync(new ListSchemesRequest());
                return;
            }
            catch (RpcException) when (attempt < 120)
            {
                await Task.Delay(250);
            }
        }
    }
}

/// <summary>The standalone host (Release build) as a separate process on loopback.</summary>
public sealed class StandaloneHost : LmisUnderTest
{
    private readonly Process _process;
    private readonly DirectoryInfo _data;
    private bool _disposed;

    private StandaloneHost(Process process, DirectoryInfo data, string httpUrl, string grpcUrl, string secretariatKey)
        : base(grpcUrl, secretariatKey)
    {
        (_process, _data, HttpUrl) = (process, data, httpUrl);
    }

    public string HttpUrl { get; }

    public DirectoryInfo Data => _data;

    public override IEnumerable<FileInfo> DataFiles() => _data.EnumerateFiles("*", SearchOption.AllDirectories);

    /// <summary>Starts the host; null (with the reason printed) when the Release build is missing.</summary>
    public static async Task<StandaloneHost?> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var binary = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "apphost", "Lmis.Standalone", "bin", "Release", "net10.0", "Lmis.Standalone.dll");
        if (!File.Exists(binary))
        {
            Console.Error.WriteLine($"Build the standalone host in Release first: dotnet build -c Release apphost/Lmis.Standalone ({binary} not found)");
            return null;
        }

        var data = Directory.CreateTempSubdirectory("lmis-bench-");
        var (httpPort, grpcPort) = (TaxonomyBenchmark.FreePort(), TaxonomyBenchmark.FreePort());
        var secretariatKey = "lmis_bench_" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.GetFullPath(binary));
        start.Environment["Lmis__DataDirectory"] = data.FullName;
        start.Environment["Lmis__Access__SecretariatKey"] = secretariatKey;
        start.Environment["Kestrel__Endpoints__http__Url"] = $"http://127.0.0.1:{httpPort}";
        start.Environment["Kestrel__Endpoints__grpc__Url"] = $"http://127.0.0.1:{grpcPort}";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine("host: " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new StandaloneHost(process, data, $"http://127.0.0.1:{httpPort}", $"http://127.0.0.1:{grpcPort}", secretariatKey);
        await host.WaitUntilAnsweringAsync();
        return host;
    }

    public override TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public override double PeakMemoryMb() => PeakMemoryMb(_process.Id);

    public override async ValueTask DisposeAsync()
    {
        // A bench may stop the host early, so that what it measures next has the machine alone.
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        CloseChannels();
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        if (Environment.GetEnvironmentVariable("LMIS_BENCH_KEEP_DATA") == "1")
        {
            // To read the host's files afterwards (query plans, sizes): the bench says where they are.
            Console.WriteLine($"host data kept in {_data.FullName}");
            return;
        }

        _data.Delete(recursive: true);
    }
}
