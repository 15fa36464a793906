using Lmis.Testing;

namespace Lmis.AppHost.Tests;

/// <summary>
/// The AppHost started as a developer starts it without Docker (the built AppHost with the `local` launch profile's
/// environment), with its dashboard, on ports of its own so it never meets the assembly's other AppHost or a
/// developer's: free dashboard, OTLP and resource-service ports, and free gateway ports (Lmis:Gateway:*).
/// </summary>
public sealed class DashboardStack : IRunningStack, IAsyncDisposable
{
    private readonly TempDirectory _data = new("dashboard");
    private readonly StackKeys _keys = new();
    private readonly AppHostProcess _apphost;

    private DashboardStack()
    {
        var gatewayHttp = FreePort.Next();
        var gatewayGrpc = FreePort.Next();
        Ports = DashboardPorts.Free();
        HttpUrl = $"http://localhost:{gatewayHttp}";
        GrpcUrl = $"http://localhost:{gatewayGrpc}";
        _apphost = AppHostProcess.Start(
            [
                $"--Lmis:DataDirectory={_data.Path}",
                AppHostProcess.OrchestratorStartupAllowance,
                $"--Lmis:Gateway:HttpPort={gatewayHttp}",
                $"--Lmis:Gateway:GrpcPort={gatewayGrpc}",
                // Given, so nothing is generated into the developer's user secrets.
                $"--Parameters:secretariat-key={_keys.Secretariat}",
                $"--Parameters:gateway-token-key={_keys.GatewayTokenKey}",
            ],
            LaunchProfile.Environment("local", Ports));
    }

    public DashboardPorts Ports { get; }

    /// <summary>The dashboard's login link with its one-time token, as printed at start.</summary>
    public string LoginUrl { get; private set; } = string.Empty;

    public string HttpUrl { get; }

    public string GrpcUrl { get; }

    public string SecretariatKey => _keys.Secretariat;

    public static async Task<DashboardStack> StartAsync(CancellationToken cancellationToken)
    {
        var stack = new DashboardStack();
        try
        {
            var line = await stack._apphost.WaitForLineAsync("/login?t=", TimeSpan.FromSeconds(60), cancellationToken);
            stack.LoginUrl = System.Text.RegularExpressions.Regex.Match(line, @"https?://\S+/login\?t=\S+").Value;
            await stack.WaitForGatewayAsync(TimeSpan.FromSeconds(90), cancellationToken);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    public Task<string> PublisherKeyAsync(string country) => _keys.PublisherAsync(this, country);

    public string Output() => $"AppHost (local profile, dashboard {Ports.DashboardUrl}), data under {_data.Path}:\n{_apphost.Output}";

    public async ValueTask DisposeAsync()
    {
        await _apphost.DisposeAsync();
        _data.Dispose();
    }

    private async Task WaitForGatewayAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline && !_apphost.HasExited)
        {
            try
            {
                using var response = await http.GetAsync($"{HttpUrl}/health", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(500, cancellationToken);
        }

        throw new TimeoutException($"The gateway did not answer /health within {within.TotalSeconds} s.\n{Output()}");
    }
}
