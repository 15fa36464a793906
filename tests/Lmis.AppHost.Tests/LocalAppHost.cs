using Aspire.Hosting;
using Aspire.Hosting.Testing;
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

    /// <summary>Extra AppHost arguments a test assembly needs (e.g. where to export telemetry).</summary>
    public static IList<string> ExtraArguments { get; } = [];

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
                $"--Parameters:secretariat-key={_keys.Secretariat}",
                $"--Parameters:gateway-token-key={_keys.GatewayTokenKey}",
                .. ExtraArguments,
            ],
            starting.Token);
        App = await builder.BuildAsync(starting.Token);
        await App.StartAsync(starting.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("gateway", starting.Token);
        HttpUrl = App.GetEndpoint("gateway", "http").ToString().TrimEnd('/');
        GrpcUrl = App.GetEndpoint("gateway", "grpc").ToString().TrimEnd('/');
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

        _data.Dispose();
    }
}
