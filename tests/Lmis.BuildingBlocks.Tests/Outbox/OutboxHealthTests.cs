using System.Diagnostics.Metrics;
using Lmis.BuildingBlocks.Messaging;
using Lmis.BuildingBlocks.Outbox;
using Lmis.BuildingBlocks.Storage;
using Lmis.Testing;
using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Lmis.BuildingBlocks.Tests.Outbox;

/// <summary>
/// The outbox backlog as an operator sees it: the gauges, and a health check that turns unhealthy when events stay
/// in while the message bus is connected, Degraded while the broker is away (they are delayed, not lost), and
/// unhealthy when the outbox cannot be read. Time is a fake clock: no waiting.
/// </summary>
public sealed class OutboxHealthTests : IAsyncLifetime
{
    private static readonly TimeSpan StalledAfter = TimeSpan.FromMinutes(5);
    private readonly TempDirectory _data = new("outbox-health");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero));
    private IHost _host = null!;
    private SqliteDatabase _database = null!;
    private OutboxMonitor _monitor = null!;

    private string File => Path.Combine(_data.Path, "vacanciesdb.db");

    public async ValueTask InitializeAsync()
    {
        // A bus without a dispatcher: what the outbox holds stays there, as in a stall.
        var builder = Host.CreateApplicationBuilder();
        builder.AddMessaging("outbox-health-test");
        _host = builder.Build();
        await _host.StartAsync(TestContext.Current.CancellationToken);
        // Started is not yet connected: the bus reports healthy once its endpoints are ready.
        var bus = _host.Services.GetRequiredService<IBusControl>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (bus.CheckHealth().Status != BusHealthStatus.Healthy && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        _database = SqliteDatabase.Create(File, string.Empty);
        _monitor = new OutboxMonitor(
            _host.Services, [new OutboxOwner("vacancies", _ => new SqliteOutbox(_database))], _host.Services.GetRequiredService<IMeterFactory>(), _time);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        SqliteConnection.ClearAllPools();
        _data.Dispose();
    }

    private Task<HealthCheckResult> CheckAsync() =>
        new OutboxStallCheck("vacancies", _monitor, _host.Services.GetRequiredService<IBusControl>(), StalledAfter, _time)
            .CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

    [Fact]
    public async Task The_gauges_show_how_many_events_wait_and_how_long_the_oldest_has_waited()
    {
        using var pending = new MetricCollector<long>(_host.Services.GetRequiredService<IMeterFactory>(), OutboxTelemetry.Name, "lmis.outbox.pending", _time);
        using var age = new MetricCollector<double>(_host.Services.GetRequiredService<IMeterFactory>(), OutboxTelemetry.Name, "lmis.outbox.oldest_pending_age", _time);
        await OutboxEvents.WriteAsync(_database, OutboxEvents.Released(_time.GetUtcNow()), OutboxEvents.Released(_time.GetUtcNow()));
        _time.Advance(TimeSpan.FromSeconds(30));
        await OutboxEvents.WriteAsync(_database, OutboxEvents.Released(_time.GetUtcNow()));
        _time.Advance(TimeSpan.FromSeconds(60));

        pending.RecordObservableInstruments();
        age.RecordObservableInstruments();

        Assert.Equal(3, pending.LastMeasurement?.Value);
        Assert.Equal("vacancies", pending.LastMeasurement?.Tags["service"]);
        Assert.Equal(90, age.LastMeasurement?.Value);
        Assert.Equal("s", age.Instrument?.Unit);
    }

    [Fact]
    public async Task An_outbox_whose_oldest_event_waits_past_the_threshold_while_the_bus_is_connected_is_unhealthy()
    {
        await OutboxEvents.WriteAsync(_database, OutboxEvents.Released(_time.GetUtcNow()));

        _time.Advance(StalledAfter);
        var waiting = await CheckAsync();
        _time.Advance(TimeSpan.FromSeconds(1));
        var stalled = await CheckAsync();

        Assert.Equal(HealthStatus.Healthy, waiting.Status);
        Assert.Equal(HealthStatus.Unhealthy, stalled.Status);
        Assert.Equal("1 events pending in the outbox of vacancies, the oldest for 301 s: stalled (more than 300 s) while the message bus is connected.", stalled.Description);
    }

    [Fact]
    public async Task While_the_bus_is_away_a_waiting_outbox_is_degraded_with_the_reason_not_unhealthy()
    {
        await OutboxEvents.WriteAsync(_database, OutboxEvents.Released(_time.GetUtcNow()));
        await _host.Services.GetRequiredService<IBusControl>().StopAsync(TestContext.Current.CancellationToken);

        _time.Advance(TimeSpan.FromMinutes(30));
        var result = await CheckAsync();

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.StartsWith("1 events pending in the outbox of vacancies, the oldest for 1800 s: waiting for the message bus", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_outbox_is_healthy_however_long_nothing_was_written_and_an_unreadable_one_is_unhealthy()
    {
        _time.Advance(TimeSpan.FromDays(3));
        var empty = await CheckAsync();
        SqliteConnection.ClearAllPools();
        System.IO.File.Delete(File);
        var unreadable = await CheckAsync();

        Assert.Equal((HealthStatus.Healthy, "0 events pending in the outbox of vacancies"), (empty.Status, empty.Description));
        Assert.Equal(HealthStatus.Unhealthy, unreadable.Status);
        Assert.Contains("cannot be read", unreadable.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 300)]
    [InlineData("00:00:45", 45)]
    public void The_stall_threshold_is_Lmis_Outbox_StalledAfter_five_minutes_unless_set(string? setting, int seconds)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(OutboxStallCheck.StalledAfterKey, setting)]).Build();

        Assert.Equal(TimeSpan.FromSeconds(seconds), OutboxStallCheck.StalledAfterFrom(configuration));
    }
}
