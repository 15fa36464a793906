using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Lmis.AppHost.Tests.Telemetry;
using Lmis.Contracts.Taxonomy.V1;
using Lmis.Testing;

namespace Lmis.AppHost.Tests;

/// <summary>
/// The AppHost in local mode (SQLite files, RabbitMQ from Debian's rabbitmq-server as a process), started once for
/// the tests of this assembly with Aspire.Hosting.Testing, with its secrets and data folder set by the test.
/// </summary>
public sealed class LocalAppHost : IRunningStack, IAsyncLifetime
{
    public static readonly string[] Resources = ["messaging-epmd", "messaging", "taxonomy", "vacancies", "statistics", "gateway"];

    private readonly Lmis.Testing.TempDirectory _data = new("apphost");
    private readonly StackKeys _keys = new();

    public DistributedApplication App { get; private set; } = null!;

    public string? Unavailable { get; private set; }

    public string HttpUrl { get; private set; } = string.Empty;

    public string GrpcUrl { get; private set; } = string.Empty;

    public string SecretariatKey => _keys.Secretariat;

    public Task<string> PublisherKeyAsync(string country) => _keys.PublisherAsync(this, country);

    /// <summary>The spans every process of the stack exports (OTLP/gRPC), as the dashboard would receive them.</summary>
    public TelemetryReceiver Telemetry { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists("/usr/lib/rabbitmq/bin/rabbitmq-server"))
        {
            Unavailable = "the AppHost's local mode needs Debian's rabbitmq-server package (./test.sh installs it when run as root).";
            if (Environment.GetEnvironmentVariable("LMIS_REQUIRE_RABBITMQ") == "1")
            {
                throw new InvalidOperationException(Unavailable);
            }

            return;
        }

        using var starting = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Lmis_AppHost>(
            [
                "--Lmis:Infrastructure=local",
                $"--Lmis:DataDirectory={_data.Path}",
                // Aspire's orchestrator gets 30 s to come up by default; on two cores shared with the other test
                // assemblies' stacks it has taken longer.
                AppHostProcess.OrchestratorStartupAllowance,
                $"--Parameters:secretariat-key={_keys.Secretariat}",
                $"--Parameters:gateway-token-key={_keys.GatewayTokenKey}",
            ],
            starting.Token);
        Telemetry = await TelemetryReceiver.StartAsync();
        foreach (var process in builder.Resources.OfType<ProjectResource>())
        {
            // Each process exports to the receiver, under its resource name, soon after a span ends and every second.
            process.Annotations.Add(new EnvironmentCallbackAnnotation(environment =>
            {
                environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = Telemetry.Endpoint;
                environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc";
                environment["OTEL_SERVICE_NAME"] = process.Name;
                environment["OTEL_BSP_SCHEDULE_DELAY"] = "500";
                environment["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
            }));
        }

        App = await builder.BuildAsync(starting.Token);
        await App.StartAsync(starting.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("gateway", starting.Token);
        HttpUrl = App.GetEndpoint("gateway", "http").ToString().TrimEnd('/');
        GrpcUrl = App.GetEndpoint("gateway", "grpc").ToString().TrimEnd('/');
        // The occupations the tests' vacancies are coded with, released once for all of them (two releases at once
        // against the same version would refuse one).
        using var secretariat = this.Grpc(SecretariatKey);
        await new TaxonomyService.TaxonomyServiceClient(secretariat).ImportSchemeVersionAsync(IscoSample.ImportRequest(), cancellationToken: starting.Token);
    }

    public void RequireRunning()
    {
        if (Unavailable is not null)
        {
            Assert.Skip(Unavailable);
        }
    }

    public string Output() => $"AppHost in local mode, data under {_data.Path}";

    public async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }

        if (Telemetry is not null)
        {
            await Telemetry.DisposeAsync();
        }

        _data.Dispose();
    }
}
