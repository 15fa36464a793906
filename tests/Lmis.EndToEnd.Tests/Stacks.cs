using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Net.Client;
using Lmis.Testing;

[assembly: AssemblyFixture(typeof(RabbitMqBroker))]

namespace Lmis.EndToEnd.Tests;

/// <summary>
/// Every test of the distributed stack shares one, one test class at a time. Two stacks on the one test broker would
/// share its queues, and one stack's statistics service would take the other's events.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DistributedStackCollection : ICollectionFixture<DistributedStack>
{
    public const string Name = "distributed stack";
}

/// <summary>
/// The distributed stack as in production: taxonomy, vacancies and statistics as separate processes with their
/// own SQLite files, events over a real RabbitMQ, and the YARP gateway in front — configured with the same keys
/// the Aspire AppHost injects.
/// </summary>
public sealed class DistributedStack(RabbitMqBroker broker) : IRunningStack, IAsyncLifetime
{
    private readonly ServiceProcessSet _processes = new("distributed");
    private readonly StackKeys _keys = new();

    public string SecretariatKey => _keys.Secretariat;

    public string GatewayTokenKey => _keys.GatewayTokenKey;

    public Task<string> PublisherKeyAsync(string country) => _keys.PublisherAsync(this, country);

    public string HttpUrl => Gateway.HttpUrl;

    public string GrpcUrl => Gateway.GrpcUrl;

    public ServiceProcess Gateway { get; private set; } = null!;

    public ServiceProcess Taxonomy { get; private set; } = null!;

    public ServiceProcess Vacancies { get; private set; } = null!;

    public ServiceProcess Statistics { get; private set; } = null!;

    public string? Unavailable { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (broker.ConnectionString is null)
        {
            Unavailable = broker.Unavailable;
            return;
        }

        var shared = _processes.Shared(broker.ConnectionString, _keys.GatewayTokenKey);
        // Known before the gateway starts: the vacancies service writes it into JobPosting URLs and sitemaps, as the
        // Aspire AppHost has it do.
        var gatewayUrl = $"http://127.0.0.1:{FreePort.Next()}";
        try
        {
            var taxonomy = Taxonomy = _processes.Start("taxonomy", "services/Taxonomy", "Lmis.Taxonomy", shared);
            var vacancies = Vacancies = _processes.Start("vacancies", "services/Vacancies", "Lmis.Vacancies", new Dictionary<string, string>(shared)
            {
                ["services__taxonomy__grpc__0"] = taxonomy.GrpcUrl,
                ["Lmis__PublicBaseUrl"] = gatewayUrl,
            });
            var statistics = Statistics = _processes.Start("statistics", "services/Statistics", "Lmis.Statistics", new Dictionary<string, string>(shared)
            {
                ["services__vacancies__grpc__0"] = vacancies.GrpcUrl,
                ["services__taxonomy__grpc__0"] = taxonomy.GrpcUrl,
            });
            Gateway = _processes.Start("gateway", "gateway", "Lmis.Gateway", new Dictionary<string, string>(ServiceProcess.GatewayDestinations(taxonomy, vacancies, statistics))
            {
                ["Lmis__DataDirectory"] = _processes.DataDirectory,
                ["Lmis__Security__GatewayTokenKey"] = _keys.GatewayTokenKey,
                ["Lmis__Access__SecretariatKey"] = _keys.Secretariat,
                ["Kestrel__Endpoints__http__Url"] = gatewayUrl,
            });
            await _processes.WaitUntilHealthyAsync();
        }
        catch
        {
            // A stack that did not come up is not left running.
            await DisposeAsync();
            throw;
        }
    }

    public string RequireRunning()
    {
        if (Unavailable is not null)
        {
            broker.RequireConnectionString();
        }

        return HttpUrl;
    }

    public string Output() => Output(150);

    public string Output(int lines) => _processes.Output(lines);

    public ValueTask DisposeAsync() => _processes.DisposeAsync();
}

/// <summary>The standalone host as a newcomer runs it: one process, SQLite files, in-memory bus, no broker.</summary>
public class StandaloneStack : IRunningStack, IAsyncLifetime
{
    private readonly TempDirectory _data = new("standalone");
    private readonly StackKeys _keys = new();
    private ServiceProcess _process = null!;

    public string SecretariatKey => _keys.Secretariat;

    public Task<string> PublisherKeyAsync(string country) => _keys.PublisherAsync(this, country);

    public string HttpUrl => _process.HttpUrl;

    public string GrpcUrl => _process.GrpcUrl;

    public async ValueTask InitializeAsync()
    {
        _process = ServiceProcess.Start(
            "standalone",
            Repository.Binary("apphost/Lmis.Standalone", "Lmis.Standalone"),
            new Dictionary<string, string>(Settings) { ["Lmis__DataDirectory"] = _data.Path, ["Lmis__Access__SecretariatKey"] = _keys.Secretariat });
        try
        {
            await _process.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public string Output() => _process.Output();

    /// <summary>Kills the host (no shutdown of its own), as a crash or a pulled plug would; its data stays.</summary>
    public Task KillAsync() => _process.KillAsync();

    /// <summary>Starts a killed host again on the same ports and data, and waits until it is healthy.</summary>
    public Task StartAgainAsync() => _process.StartAgainAsync(TimeSpan.FromSeconds(60));

    /// <summary>Settings beyond the defaults, as environment variables.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _data.Dispose();
        GC.SuppressFinalize(this);
    }
}
