using Lmis.Testing;

namespace Lmis.Bench;

/// <summary>
/// The distributed stack as in production (Release builds): taxonomy, vacancies and statistics as separate processes
/// with their own SQLite files, events over a real RabbitMQ (a private node from Debian's rabbitmq-server, as the
/// tests start it), reached through the YARP gateway.
/// </summary>
public sealed class DistributedStackHost : LmisUnderTest
{
    private readonly RabbitMqBroker _broker;
    private readonly TempDirectory _data;
    private readonly List<ServiceProcess> _processes;

    private DistributedStackHost(RabbitMqBroker broker, TempDirectory data, List<ServiceProcess> processes, string grpcUrl, string secretariatKey)
        : base(grpcUrl, secretariatKey)
    {
        (_broker, _data, _processes) = (broker, data, processes);
    }

    /// <summary>Starts the broker, the services and the gateway; null (with the reason printed) when something is missing.</summary>
    public static async Task<DistributedStackHost?> StartAsync()
    {
        var broker = new RabbitMqBroker();
        await broker.InitializeAsync();
        if (broker.ConnectionString is null)
        {
            Console.Error.WriteLine($"No RabbitMQ for the distributed stack: {broker.Unavailable}");
            return null;
        }

        var data = new TempDirectory("bench-distributed");
        var processes = new List<ServiceProcess>();
        var secretariatKey = "lmis_bench_" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        var tokenKey = TestCaller.NewGatewayTokenKey();
        var shared = new Dictionary<string, string>
        {
            ["ConnectionStrings__messaging"] = broker.ConnectionString,
            ["Lmis__DataDirectory"] = data.Path,
            ["Lmis__Security__GatewayTokenKey"] = tokenKey,
        };
        ServiceProcess Start(string name, string folder, string assembly, Dictionary<string, string> settings)
        {
            var binary = Path.Combine(Repository.Root, folder, "bin", "Release", "net10.0", assembly + ".dll");
            var process = ServiceProcess.Start(name, binary, settings);
            processes.Add(process);
            return process;
        }

        var taxonomy = Start("taxonomy", "services/Taxonomy", "Lmis.Taxonomy", shared);
        var vacancies = Start("vacancies", "services/Vacancies", "Lmis.Vacancies", new(shared) { ["services__taxonomy__grpc__0"] = taxonomy.GrpcUrl });
        var statistics = Start("statistics", "services/Statistics", "Lmis.Statistics", new(shared)
        {
            ["services__vacancies__grpc__0"] = vacancies.GrpcUrl,
            ["services__taxonomy__grpc__0"] = taxonomy.GrpcUrl,
        });
        var gateway = Start("gateway", "gateway", "Lmis.Gateway", new(ServiceProcess.GatewayDestinations(taxonomy, vacancies, statistics))
        {
            ["Lmis__DataDirectory"] = data.Path,
            ["Lmis__Security__GatewayTokenKey"] = tokenKey,
            ["Lmis__Access__SecretariatKey"] = secretariatKey,
        });
        var host = new DistributedStackHost(broker, data, processes, gateway.GrpcUrl, secretariatKey);
        try
        {
            await Task.WhenAll(processes.Select(p => p.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90))));
            await host.WaitUntilAnsweringAsync();
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public override IEnumerable<FileInfo> DataFiles() => new DirectoryInfo(_data.Path).EnumerateFiles("*", SearchOption.AllDirectories);

    /// <summary>The LMIS processes' CPU time (the broker's is not counted).</summary>
    public override TimeSpan CpuTime() => _processes.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.CpuTime());

    public override double PeakMemoryMb() => _processes.Sum(p => PeakMemoryMb(p.ProcessId));

    /// <summary>Each process's peak resident memory, to say which one holds it.</summary>
    public string PeakMemoryByProcess() =>
        string.Join(", ", _processes.Select(p => $"{p.Name} {PeakMemoryMb(p.ProcessId):N0} MB"));

    public override async ValueTask DisposeAsync()
    {
        CloseChannels();
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        _processes.Clear();
        await _broker.DisposeAsync();
        _data.Dispose();
    }
}
