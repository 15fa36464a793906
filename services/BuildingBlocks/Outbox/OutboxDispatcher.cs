using System.Diagnostics;
using System.Diagnostics.Metrics;
using Lmis.Contracts.Events;
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
    string owner, Outbox outbox, IBus bus, TimeProvider time, ILogger<OutboxDispatcher> logger, EventBundling? bundling = null) : BackgroundService
{
    // Events read, published and removed at a time. Removing them takes the service's single SQLite writer in its
    // turn, after the feed transactions that asked first: at 1,000 a time the dispatcher kept pace with one feed of a
    // thousand vacancies a second but not with two feeds at 4,000 a second, and the statistics fell 20 s behind at
    // 600,000 vacancies (2 s at 5,000). Bundled events (a feed's) go out as one message per batch.
    private const int BatchSize = 5000;
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

    /// <summary>
    /// Publishes a batch concurrently (one awaited publish at a time is several times slower): the events the
    /// service bundles as one message, the others each on its own. Returns the ids of the events that went out.
    /// </summary>
    private async Task<IReadOnlyCollection<Guid>> PublishAsync(IReadOnlyList<OutboxMessage> batch, CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(PublishTimeout);
        // One pass: the events the service bundles apart from the others, each side in outbox order.
        var byBundling = batch.Select(message => (Message: message, Event: (IIntegrationEvent)outbox.EventOf(message)))
            .ToLookup(e => bundling?.Carries(e.Event) == true);
        var bundled = byBundling[true].ToList();
        var messages = byBundling[false].Select(e => (e.Message, e.Event, Covers: (IReadOnlyList<OutboxMessage>)[e.Message])).ToList();
        if (bundled.Count > 0)
        {
            messages.Add((bundled[0].Message, bundling!.Bundle([.. bundled.Select(e => e.Event)]), [.. bundled.Select(e => e.Message)]));
        }

        var attempts = messages.Select(async m =>
        {
            // Each publish runs under its own activity, a child of the call that wrote the (first) event: one trace per
            // call; a bundle's other events are linked to it.
            using var activity = OutboxTelemetry.StartDispatch(owner, m.Message, m.Covers.Skip(1));
            try
            {
                await bus.Publish(m.Event, m.Event.GetType(), context => context.MessageId = m.Event.EventId, timeout.Token);
                return (m.Covers, Published: true);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
                LogPublishFailed(owner, m.Message.EventType, m.Message.EventId, exception.Message);
                return (m.Covers, Published: false);
            }
        });
        var results = await Task.WhenAll(attempts);
        return results.Where(r => r.Published).SelectMany(r => r.Covers.Select(c => c.EventId)).ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox of {Owner}: event {EventType} {EventId} not published yet, will retry: {Reason}")]
    private partial void LogPublishFailed(string owner, string eventType, Guid eventId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox of {Owner}: dispatch failed, will retry")]
    private partial void LogDispatchFailed(string owner, Exception exception);
}

/// <summary>
/// Events a service's outbox sends together as one message (<paramref name="Bundle"/> of those that
/// <paramref name="Carries"/>): fewer, larger messages where a feed writes thousands of events at once.
/// </summary>
public sealed record EventBundling(Func<IIntegrationEvent, bool> Carries, Func<IReadOnlyList<IIntegrationEvent>, IIntegrationEvent> Bundle);

public static class OutboxServiceCollectionExtensions
{
    /// <summary>
    /// Runs a dispatcher for one service's outbox (a standalone host runs one per service module), watches its
    /// backlog (<see cref="OutboxMonitor"/>) and adds its stall check (<see cref="OutboxStallCheck"/>) to <c>/health</c>.
    /// </summary>
    /// <param name="bundling">Which events go out together as one message, when the service bundles any.</param>
    public static IServiceCollection AddOutboxDispatcher(
        this IServiceCollection services, string owner, Func<IServiceProvider, Outbox> outbox, EventBundling? bundling = null)
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
                sp.GetRequiredService<ILogger<OutboxDispatcher>>(),
                bundling);
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
