using System.Globalization;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Lmis.BuildingBlocks.Outbox;

/// <summary>
/// Turns a service's health unhealthy when its outbox stalls: the oldest event not yet published has waited longer
/// than <c>Lmis:Outbox:StalledAfter</c> (default 5 minutes) while the message bus is connected, so something other
/// than the broker keeps the events in. While the broker is away the wait is expected (writes go on, events are
/// delayed, never lost) and the check says Degraded with the reason, as the bus check does. When the outbox cannot
/// even be read, the storage is failing: unhealthy.
/// </summary>
public sealed class OutboxStallCheck(string service, OutboxMonitor monitor, IBusControl? bus, TimeSpan stalledAfter, TimeProvider time)
    : IHealthCheck
{
    public const string StalledAfterKey = "Lmis:Outbox:StalledAfter";

    public static TimeSpan StalledAfterFrom(IConfiguration configuration)
    {
        var stalledAfter = configuration.GetValue(StalledAfterKey, TimeSpan.FromMinutes(5));
        return stalledAfter > TimeSpan.Zero
            ? stalledAfter
            : throw new InvalidOperationException($"{StalledAfterKey} must be a positive duration such as 00:05:00.");
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        OutboxBacklog backlog;
        try
        {
            backlog = await monitor.MeasureAsync(service, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The outbox of {service} cannot be read: {exception.Message}", exception);
        }

        var age = backlog.OldestAge(time.GetUtcNow());
        var found = $"{backlog.Pending.ToString(CultureInfo.InvariantCulture)} events pending in the outbox of {service}"
            + (backlog.Pending > 0 ? $", the oldest for {Seconds(age)}" : string.Empty);
        if (age <= stalledAfter)
        {
            return HealthCheckResult.Healthy(found);
        }

        var broker = bus?.CheckHealth();
        return broker is { Status: BusHealthStatus.Healthy }
            ? HealthCheckResult.Unhealthy($"{found}: stalled (more than {Seconds(stalledAfter)}) while the message bus is connected.")
            : HealthCheckResult.Degraded($"{found}: waiting for the message bus ({broker?.Description ?? "no bus"}); they go out once it is back.");
    }

    private static string Seconds(TimeSpan span) => $"{Math.Floor(span.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s";
}
