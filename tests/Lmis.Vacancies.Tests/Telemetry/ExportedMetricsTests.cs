using System.Net.Http.Json;
using Lmis.Testing;
using Lmis.Vacancies.Tests.Api;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Lmis.Vacancies.Tests.Telemetry;

/// <summary>
/// The operator's meters reach the exporter the service defaults configure (what the Aspire dashboard shows), not
/// only a test's listener: each <c>Lmis.*</c> meter is registered there.
/// </summary>
public sealed class ExportedMetricsTests : IAsyncLifetime
{
    private readonly List<Metric> _exported = [];
    private readonly VacanciesInProcess _stack;

    public ExportedMetricsTests()
    {
        _stack = new VacanciesInProcess(vacancies => vacancies.WithServices(services =>
        {
            services.AddMassTransitTestHarness();
            services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(_exported));
        }));
    }

    public ValueTask InitializeAsync() => _stack.InitializeAsync();

    public ValueTask DisposeAsync() => _stack.DisposeAsync();

    [Fact]
    public async Task Publishing_and_outbox_metrics_are_exported_with_their_units()
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await _stack.Vacancies.CreateClient(TestCaller.Publisher("CRI")).PostAsJsonAsync("/api/v1/vacancies", new
        {
            country = "CR",
            sourceId = "MTSS-1",
            title = "Enfermera",
            occupationCode = "2221",
            positions = 1,
            validThrough = TestDates.Open,
        }, ct);
        response.EnsureSuccessStatusCode();

        Assert.True(_stack.Vacancies.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000));

        var exported = _exported.Select(m => (m.Name, m.Unit)).Distinct().ToArray();
        Assert.Contains(("lmis.vacancies.received", "{vacancy}"), exported);
        Assert.Contains(("lmis.outbox.pending", "{event}"), exported);
        Assert.Contains(("lmis.outbox.oldest_pending_age", "s"), exported);
    }
}
