using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using Lmis.Contracts.Vacancies.V1;
using Lmis.Testing;
using Lmis.Vacancies.Publishing;
using Lmis.Vacancies.Tests.Api;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Lmis.Vacancies.Tests.Telemetry;

/// <summary>What an operator watches of publishing, counted per member state after real calls.</summary>
public sealed class PublishingMetricsTests : IAsyncLifetime
{
    private readonly VacanciesInProcess _stack = new(vacancies => vacancies.WithServices(services => services.AddMassTransitTestHarness()));

    public ValueTask InitializeAsync() => _stack.InitializeAsync();

    public ValueTask DisposeAsync() => _stack.DisposeAsync();

    private MetricCollector<long> Collect(string instrument) =>
        new(_stack.Vacancies.Services.GetRequiredService<IMeterFactory>(), VacancyMetrics.MeterName, instrument);

    private static object Vacancy(string sourceId, string occupation = "7112") => new
    {
        country = "MX",
        sourceId,
        title = "Albañil",
        occupationCode = occupation,
        positions = 1,
        validThrough = TestDates.Open,
    };

    [Fact]
    public async Task Three_vacancies_of_which_one_is_refused_count_as_three_received_and_one_refused_as_invalid()
    {
        var ct = TestContext.Current.CancellationToken;
        using var received = Collect("lmis.vacancies.received");
        using var refused = Collect("lmis.vacancies.refused");
        var http = _stack.Vacancies.CreateClient(TestCaller.Publisher("MEX"));

        foreach (var vacancy in new[] { Vacancy("M-1"), Vacancy("M-2"), Vacancy("M-3", occupation: "9999") })
        {
            using var response = await http.PostAsJsonAsync("/api/v1/vacancies", vacancy, ct);
        }

        Assert.Equal(3, received.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.All(received.GetMeasurementSnapshot(), m => Assert.Equal("MEX", m.Tags["country"]));
        var refusal = Assert.Single(refused.GetMeasurementSnapshot());
        Assert.Equal((1L, "MEX", VacancyMetrics.Invalid), (refusal.Value, refusal.Tags["country"], refusal.Tags["reason"]));
        Assert.Equal(("{vacancy}", "lmis.vacancies.received"), (received.Instrument?.Unit, received.Instrument?.Name));
    }

    [Fact]
    public async Task A_feeds_items_are_counted_as_read_and_received_and_another_member_states_item_as_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        using var items = Collect("lmis.vacancies.feed.items");
        using var received = Collect("lmis.vacancies.received");
        using var refused = Collect("lmis.vacancies.refused");
        var client = new VacanciesService.VacanciesServiceClient(_stack.Vacancies.GrpcChannel(TestCaller.Publisher("MEX")));

        using (var call = client.PublishVacancies(cancellationToken: ct))
        {
            foreach (var (country, sourceId) in new[] { ("MEX", "F-1"), ("GTM", "F-2"), ("MEX", "F-3") })
            {
                await call.RequestStream.WriteAsync(new PublishVacancyRequest
                {
                    Vacancy = new Contracts.Vacancies.V1.Vacancy { Country = country, SourceId = sourceId, Title = "Albañil", OccupationCode = "7112", Positions = 1 },
                }, ct);
            }

            await call.RequestStream.CompleteAsync();
            Assert.Equal(1, (await call).Rejected);
        }

        Assert.Equal(3, items.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(3, received.GetMeasurementSnapshot().EvaluateAsCounter());
        var refusal = Assert.Single(refused.GetMeasurementSnapshot());
        Assert.Equal(("MEX", VacancyMetrics.OtherMemberState), (refusal.Tags["country"], refusal.Tags["reason"]));
    }
}
