using Lmis.BuildingBlocks.Messaging;
using Lmis.Testing;
using MassTransit;
using MassTransit.UsageTracking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Lmis.BuildingBlocks.Tests.Messaging;

/// <summary>
/// A government system makes no outbound connection its operators did not configure: MassTransit's usage telemetry
/// (a report to MassTransit's own host after start) is off on every bus an LMIS process joins.
/// </summary>
public sealed class UsageTelemetryTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("amqp://guest:guest@127.0.0.1:5672/")]
    public void The_message_bus_reports_no_usage_telemetry_to_an_outside_host(string? broker)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration[$"ConnectionStrings:{MessagingExtensions.ConnectionName}"] = broker;
        builder.AddMessaging("telemetry-test");
        using var host = builder.Build();

        // The tracker is what would send the report; it also reads MASSTRANSIT_USAGE_TELEMETRY from the environment.
        Assert.False(host.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
        Assert.False(Assert.IsType<UsageTracker>(host.Services.GetRequiredService<IUsageTracker>()).Enabled);
    }

    [Fact]
    public void Every_process_joins_the_message_bus_through_the_one_place_that_switches_usage_telemetry_off()
    {
        var product = new[] { "services", "gateway", "apphost", "tools" }
            .Select(folder => Path.Combine(Repository.Root, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

        var busOwners = product.Where(file => File.ReadAllText(file).Contains(".AddMassTransit(", StringComparison.Ordinal))
            .Select(file => Path.GetRelativePath(Repository.Root, file).Replace('\\', '/'));

        Assert.Equal(["services/BuildingBlocks/Messaging/MessagingExtensions.cs"], busOwners);
    }
}
