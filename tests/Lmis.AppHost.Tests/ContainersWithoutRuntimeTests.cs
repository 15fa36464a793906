using System.Diagnostics;

namespace Lmis.AppHost.Tests;

/// <summary>
/// The default containers mode on a machine with no Docker or Podman: Aspire alone would leave every resource
/// "Waiting" for ever; the AppHost stops at once and says to use the local mode.
/// </summary>
public sealed class ContainersWithoutRuntimeTests
{
    [Fact]
    public async Task Without_docker_the_containers_mode_stops_within_seconds_saying_to_use_the_local_mode()
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var runtime in new[] { "docker", "podman" })
        {
            if (await AnswersAsync(runtime, ct))
            {
                Assert.Skip($"'{runtime} info' works on this machine: the containers mode can start here.");
            }
        }

        var started = Stopwatch.StartNew();
        await using var apphost = AppHostProcess.Start([], LaunchProfile.Environment("http", DashboardPorts.Free()));

        Assert.True(await apphost.ExitsWithinAsync(TimeSpan.FromSeconds(40), ct), $"still running after 40 s:\n{apphost.Output}");
        Assert.NotEqual(0, apphost.ExitCode);
        Assert.Contains("Lmis:Infrastructure=containers runs MongoDB and RabbitMQ in containers, but", apphost.Output, StringComparison.Ordinal);
        Assert.Contains("--launch-profile local", apphost.Output, StringComparison.Ordinal);
        Assert.Contains("--Lmis:Infrastructure=local", apphost.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", apphost.Output, StringComparison.Ordinal);
        TestContext.Current.SendDiagnosticMessage($"The containers mode stopped after {started.Elapsed.TotalSeconds:F1} s: {apphost.Output}");
    }

    private static async Task<bool> AnswersAsync(string runtime, CancellationToken cancellationToken)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, ["info"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
