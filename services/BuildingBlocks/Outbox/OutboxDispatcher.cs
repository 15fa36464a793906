using System.Diagnostics;
using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lmis.BuildingBlocks.Outbox;

/// <summary>
/// Publishes what a service's outbox holds through MassTransit, then removes it. While the broker is away the
/// events wait in the outbox and go out when it is back: delayed, never lost. A repeat after a crash between
/// publishing and removing is possible, which is why every consumer is idempotent.
/// </summary>
public sealed partial class OutboxDispatcher(
    string owner, Outbox outbox, IBus bus, TimeProvider time, ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 200;
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var batch = await outbox.ReadPendingAsync(BatchSize, stoppingToken);
                if (batch.Count == 0)
                {
                    outbox.ForgetCommitted();
                    await outbox.WaitForWritesAsync(IdlePoll, stoppingToken);
                    continue;
                }

                var published = await PublishAsync(batch, stoppingToken);
                await outbox.MarkDispatchedAsync(published, stoppingToken);
                if (published.Count < batch.Count)
                {
                    await Task.Delay(backoff, time, stoppingToken);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                }
                else
                {
                    backoff = TimeSpan.FromMilliseconds(250);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                LogDispatchFailed(owner, exception);
                await Task.Delay(backoff, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>Publishes a batch concurrently (one awaited publish at a time is several times slower).</summary>
    private async Task<IReadOnlyCollection<Guid>> PublishAsync(IReadOnlyList<OutboxMessage> batch, CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(PublishTimeout);
        var attempts = batch.Select(async message =>
        {
            // Each publish runs under its own activity, a child of the call that wrote the event (one trace per call).
            using var activity = OutboxTelemetry.StartDispatch(owner, message);
            try
            {
                var integrationEvent = outbox.EventOf(message);
                await bus.Publish(
                    integrationEvent,
                    integrationEvent.GetType(),
                    context => context.MessageId = message.EventId,
                    timeout.Token);
                return (message.EventId, Published: true);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
                LogPublishFailed(owner, message.EventType, message.EventId, exception.Message);
                return (message.EventId, Published: false);
            }
        });
        var results = await Task.WhenAll(attempts);
        return results.Where(r => r.Published).Select(r => r.EventId).ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox of {Owner}: event {EventType} {EventId} not published yet, will retry: {Reason}")]
    private partial void LogPublishFailed(string owner, string eventType, Guid eventId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox of {Owner}: dispatch failed, will retry")]
    private partial void LogDispatchFailed(string owner, Exception exception);
}

public static class OutboxServiceCollectionExtensions
{
    /// <summary>
    /// Runs a dispatcher for one service's outbox (a standalone host runs one per service module), watches its
    /// backlog (<see cref="OutboxMonitor"/>) and adds its stall check (<see cref="OutboxStallCheck"/>) to <c>/health</c>.
    /// </summary>
    public static IServiceCollection AddOutboxDispatcher(
        this IServiceCollection services, string owner, Func<IServiceProvider, Outbox> outbox)
    {
        services.AddSingleton(new OutboxOwner(owner, outbox));
        services.TryAddSingleton(sp => new OutboxMonitor(
            sp, sp.GetServices<OutboxOwner>(), sp.GetRequiredService<IMeterFactory>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton<IHostedService>(sp =>
        {
            // Created with the dispatchers, so the backlog gauges exist from the start.
            sp.GetRequiredService<OutboxMonitor>();
            return new OutboxDispatcher(
                owner,
                outbox(sp),
                sp.GetRequiredService<IBus>(),
                sp.GetService<TimeProvider>() ?? TimeProvider.System,
                sp.GetRequiredService<ILogger<OutboxDispatcher>>());
        });
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            $"outbox-{owner}",
            sp => new OutboxStallCheck(
                owner,
                sp.GetRequiredService<OutboxMonitor>(),
                sp.GetService<IBusControl>(),
                OutboxStallCheck.StalledAfterFrom(sp.GetRequiredService<IConfiguration>()),
                sp.GetService<TimeProvider>() ?? TimeProvider.System),
            failureStatus: HealthStatus.Unhealthy,
            tags: null));
        return services;
    }
}
