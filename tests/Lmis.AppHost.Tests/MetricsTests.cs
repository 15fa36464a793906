using Lmis.Testing;

namespace Lmis.AppHost.Tests;

/// <summary>The meters an operator watches in the dashboard, as the stack's processes export them.</summary>
public sealed class MetricsTests(LocalAppHost stack)
{
    [Fact]
    public async Task After_a_vacancy_is_published_and_counted_the_operators_meters_are_exported_with_their_units()
    {
        stack.RequireRunning();
        var ct = TestContext.Current.CancellationToken;
        await stack.PublishOverRestAsync("HND", "SENAEH-METRICS-1", "Enfermera", "2221", 1, ct);

        (string Service, string Instrument, string Unit)[] expected =
        [
            ("vacancies", "lmis.vacancies.received", "{vacancy}"),
            ("vacancies", "lmis.outbox.pending", "{event}"),
            ("vacancies", "lmis.outbox.oldest_pending_age", "s"),
            ("statistics", "lmis.messaging.consumer_lag", "s"),
        ];
        string Missing() => string.Join(", ", expected
            .Where(e => stack.Telemetry.Instruments.GetValueOrDefault(e.Service)?.GetValueOrDefault(e.Instrument) != e.Unit)
            .Select(e => $"{e.Service}: {e.Instrument} ({e.Unit})"));

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Missing().Length > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500, ct);
        }

        Assert.True(Missing().Length == 0, $"not exported: {Missing()}; exported: "
            + string.Join("; ", stack.Telemetry.Instruments.Select(s => $"{s.Key}: {string.Join(", ", s.Value.Keys.Where(k => k.StartsWith("lmis.", StringComparison.Ordinal)))}")));
    }
}
