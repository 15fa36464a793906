using System.Diagnostics;
using Xunit;

namespace Lmis.Testing;

/// <summary>
/// A real RabbitMQ broker for the tests that cross processes: <c>LMIS_TEST_RABBITMQ</c> (an AMQP URI) when set,
/// otherwise a private, throw-away node started with <c>tests/rabbitmq-node.sh</c> on free loopback ports (it
/// needs Debian's <c>rabbitmq-server</c> package; <c>./test.sh</c> installs it). Without either the tests that need
/// it are skipped, saying why — unless <c>LMIS_REQUIRE_RABBITMQ=1</c> (CI), where that is a failure.
/// </summary>
public sealed class RabbitMqBroker : IAsyncLifetime
{
    private const int DistributionPortOffset = 20000;
    private TempDirectory? _node;
    private int _port;

    public string? ConnectionString { get; private set; }

    public string? Unavailable { get; private set; }

    /// <summary>Whether this fixture started (and may stop and restart) the node itself.</summary>
    public bool OwnsNode => _node is not null;

    /// <summary>Skips the calling test when no broker is available (fails it where one is required).</summary>
    public string RequireConnectionString()
    {
        if (ConnectionString is not null)
        {
            return ConnectionString;
        }

        if (Environment.GetEnvironmentVariable("LMIS_REQUIRE_RABBITMQ") == "1")
        {
            Assert.Fail($"RabbitMQ is required here (LMIS_REQUIRE_RABBITMQ=1) but not available: {Unavailable}");
        }

        Assert.Skip($"No RabbitMQ broker: {Unavailable}");
        return string.Empty;
    }

    public async ValueTask InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable("LMIS_TEST_RABBITMQ");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            ConnectionString = configured;
            return;
        }

        if (!File.Exists("/usr/lib/rabbitmq/bin/rabbitmq-server") && Environment.GetEnvironmentVariable("RABBITMQ_SCRIPTS_DIR") is null)
        {
            Unavailable = "rabbitmq-server is not installed (Debian: apt-get install rabbitmq-server; ./test.sh does it) and LMIS_TEST_RABBITMQ names no broker.";
            return;
        }

        _node = new TempDirectory("rabbitmq");
        _port = FreePort.NextWithCompanion(DistributionPortOffset, 45535);
        var (exitCode, output) = await RunScriptAsync("start", _node.Path, _port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (exitCode != 0)
        {
            Unavailable = $"the private RabbitMQ node did not start (exit {exitCode}):\n{output}";
            _node.Dispose();
            _node = null;
            return;
        }

        ConnectionString = output.Trim().Split('\n')[^1].Trim();
        if (!ConnectionString.StartsWith("amqp://", StringComparison.Ordinal))
        {
            Unavailable = $"the private RabbitMQ node printed no AMQP URI:\n{output}";
            ConnectionString = null;
        }
    }

    /// <summary>Stops the private node (a broker outage); its durable queues and messages stay on disk.</summary>
    public async Task StopAsync()
    {
        var (exitCode, output) = await RunScriptAsync("stop", Node());
        Assert.True(exitCode == 0, $"Stopping RabbitMQ failed: {output}");
    }

    /// <summary>Starts the same private node again after <see cref="StopAsync"/>.</summary>
    public async Task StartAgainAsync()
    {
        var (exitCode, output) = await RunScriptAsync("start", Node(), _port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(exitCode == 0, $"Restarting RabbitMQ failed: {output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_node is not null)
        {
            await RunScriptAsync("stop", _node.Path);
            _node.Dispose();
        }
    }

    private string Node() => _node?.Path ?? throw new InvalidOperationException("This broker was not started by the tests.");

    private static async Task<(int ExitCode, string Output)> RunScriptAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(Repository.Root, "tests", "rabbitmq-node.sh"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        // The script prints its progress on stderr and the AMQP URI alone as the last line of stdout.
        var (output, progress) = (await stdout, await stderr);
        return (process.ExitCode, process.ExitCode == 0 ? output : progress + output);
    }
}
