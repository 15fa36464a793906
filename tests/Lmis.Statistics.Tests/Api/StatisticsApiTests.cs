using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lmis.Contracts.Events;
using Lmis.Contracts.Statistics.V1;
using Lmis.Statistics.Grpc;
using Lmis.Statistics.Tests.Storage;
using Lmis.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Lmis.Statistics.Tests.Api;

/// <summary>The statistics service in process (with no taxonomy beside it), fed vacancy events through its (in-memory) message bus.</summary>
public sealed class StatisticsApiTests : IAsyncLifetime
{
    private readonly ServiceHost<StatisticsGrpcService> _host = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task PublishAsync(IIntegrationEvent integrationEvent)
    {
        var bus = _host.Services.GetRequiredService<IBus>();
        await bus.Publish(integrationEvent, integrationEvent.GetType(), context => context.MessageId = integrationEvent.EventId, TestContext.Current.CancellationToken);
    }

    private async Task<GetVacancyCountsResponse> WaitForCountsAsync(string country, int openVacancies, int openPositions)
    {
        var client = new StatisticsService.StatisticsServiceClient(_host.GrpcChannel());
        var deadline = DateTime.UtcNow.AddSeconds(15);
        GetVacancyCountsResponse counts;
        do
        {
            counts = await client.GetVacancyCountsAsync(new GetVacancyCountsRequest { Country = country }, cancellationToken: TestContext.Current.CancellationToken);
            if (counts.TotalOpenVacancies == openVacancies && counts.TotalOpenPositions == openPositions)
            {
                return counts;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        while (DateTime.UtcNow < deadline);

        return counts;
    }

    [Fact]
    public async Task Vacancy_events_are_counted_once_however_often_and_in_whatever_order_they_arrive()
    {
        var ct = TestContext.Current.CancellationToken;
        _ = _host.Server;
        var nurse = Guid.NewGuid();
        var bricklayer = Guid.NewGuid();
        var published = new VacancyPublished(Guid.NewGuid(), DateTimeOffset.UtcNow, VacancyFigureStoreConformance.Snapshot(nurse, "SLV", "2221", 2, 1));
        var updated = new VacancyUpdated(Guid.NewGuid(), DateTimeOffset.UtcNow, VacancyFigureStoreConformance.Snapshot(nurse, "SLV", "2221", 5, 2));

        await PublishAsync(updated);
        await PublishAsync(published);
        await PublishAsync(updated);
        await PublishAsync(new VacancyPublished(Guid.NewGuid(), DateTimeOffset.UtcNow, VacancyFigureStoreConformance.Snapshot(bricklayer, "SLV", "7112", 1, 1)));

        var counts = await WaitForCountsAsync("SV", openVacancies: 2, openPositions: 6);
        await Task.Delay(300, ct);
        var settled = await _host.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/statistics/vacancy-counts?country=SLV", ct);

        Assert.Equal(
            [("SLV", "2", 1, 5), ("SLV", "7", 1, 1)],
            counts.Counts.Select(c => (c.Country, c.OccupationMajorGroup, c.OpenVacancies, c.OpenPositions)));
        Assert.Equal(2, settled.GetProperty("totalOpenVacancies").GetInt32());
        Assert.Equal(6, settled.GetProperty("totalOpenPositions").GetInt32());
        // This host has no taxonomy to ask for the groups' titles: the counts are answered all the same, untitled.
        Assert.All(counts.Counts, c => Assert.Empty(c.OccupationMajorGroupTitle));
    }

    [Fact]
    public async Task A_bundle_of_vacancy_events_is_counted_as_its_events_would_be_one_by_one_and_a_repeated_or_stale_bundle_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        _ = _host.Server;
        var (nurse, cook, welder) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var bundle = new VacancyEventBundle(
            Guid.NewGuid(),
            DateTimeOffset.UtcNow,
            [new(Guid.NewGuid(), DateTimeOffset.UtcNow, VacancyFigureStoreConformance.Snapshot(nurse, "PAN", "2221", 2, 1)),
             new(Guid.NewGuid(), DateTimeOffset.UtcNow, VacancyFigureStoreConformance.Snapshot(welder, "PAN", "7212", 4, 1))],
            // In the same bundle, a newer version of the nurse's vacancy: the order inside a bundle does not matter.
            [new(Guid.NewGuid(), DateTimeOffset.UtcNow, VacancyFigureStoreConformance.Snapshot(nurse, "PAN", "2221", 3, 2)),
             new(Guid.NewGuid(), DateTimeOffset.UtcNow, VacancyFigureStoreConformance.Snapshot(cook, "PAN", "5120", 1, 3))],
            [new(Guid.NewGuid(), DateTimeOffset.UtcNow, VacancyFigureStoreConformance.Snapshot(welder, "PAN", "7212", 4, 2, status: "filled"), "filled")]);
        var stale = new VacancyEventBundle(
            Guid.NewGuid(), DateTimeOffset.UtcNow, [new(Guid.NewGuid(), DateTimeOffset.UtcNow, VacancyFigureStoreConformance.Snapshot(nurse, "PAN", "2221", 9, 1))], [], []);

        await PublishAsync(bundle);
        await PublishAsync(stale);
        await PublishAsync(bundle);

        var counts = await WaitForCountsAsync("PA", openVacancies: 2, openPositions: 4);
        await Task.Delay(300, ct);
        var settled = await new StatisticsService.StatisticsServiceClient(_host.GrpcChannel())
            .GetVacancyCountsAsync(new GetVacancyCountsRequest { Country = "PAN" }, cancellationToken: ct);
        Assert.Equal(
            [("PAN", "2", 1, 3), ("PAN", "5", 1, 1)],
            settled.Counts.Select(c => (c.Country, c.OccupationMajorGroup, c.OpenVacancies, c.OpenPositions)));
        Assert.Equal((2, 4), (counts.TotalOpenVacancies, counts.TotalOpenPositions));
    }

    private static VacancySnapshot Vacancy(Guid id, string occupation, int positions, int version, string posted, bool foreign = false,
        bool workerPays = false, decimal? wageMin = null, decimal? wageMax = null, string status = "open", string? closed = null) =>
        new(id, "CRI", id.ToString("N")[..8], version, occupation, positions, status, DateOnly.Parse(posted, System.Globalization.CultureInfo.InvariantCulture), null)
        {
            ForeignWorkersEligible = foreign,
            WorkerPaysRecruitmentFees = workerPays,
            WageMin = wageMin,
            WageMax = wageMax,
            WageCurrency = wageMin is null && wageMax is null ? null : "CRC",
            WagePeriod = wageMin is null && wageMax is null ? null : "month",
            ClosedAt = closed is null ? null : DateTimeOffset.Parse(closed, System.Globalization.CultureInfo.InvariantCulture),
        };

    [Fact]
    public async Task Derived_vacancy_figures_come_out_the_same_under_duplicated_and_reordered_events()
    {
        var ct = TestContext.Current.CancellationToken;
        _ = _host.Server;
        var (a, b, c, d) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var aUpdated = new VacancyUpdated(Guid.NewGuid(), DateTimeOffset.UtcNow, Vacancy(a, "7112", 4, 2, "2026-01-10", foreign: true, wageMin: 1000, wageMax: 2000));
        IIntegrationEvent[] burst =
        [
            aUpdated,
            new VacancyPublished(Guid.NewGuid(), DateTimeOffset.UtcNow, Vacancy(a, "7112", 3, 1, "2026-01-10", foreign: true, wageMin: 1000, wageMax: 2000)),
            aUpdated,
            new VacancyPublished(Guid.NewGuid(), DateTimeOffset.UtcNow, Vacancy(b, "7112", 2, 1, "2026-02-01", workerPays: true, wageMin: 1200)),
            new VacancyClosed(Guid.NewGuid(), DateTimeOffset.UtcNow, Vacancy(c, "7126", 1, 2, "2026-01-05", status: "filled", closed: "2026-01-25T10:00:00Z"), "filled"),
            new VacancyPublished(Guid.NewGuid(), DateTimeOffset.UtcNow, Vacancy(c, "7126", 1, 1, "2026-01-05")),
            new VacancyPublished(Guid.NewGuid(), DateTimeOffset.UtcNow, Vacancy(d, "2221", 1, 1, "2026-03-01")),
            new VacancyPublished(Guid.NewGuid(), DateTimeOffset.UtcNow, Vacancy(d, "2221", 1, 1, "2026-03-01")),
        ];
        foreach (var integrationEvent in burst)
        {
            await PublishAsync(integrationEvent);
        }

        await WaitForCountsAsync("CRI", openVacancies: 3, openPositions: 7);
        await Task.Delay(300, ct);
        var http = _host.CreateClient();
        var major = await http.GetFromJsonAsync<JsonElement>("/api/v1/statistics/vacancy-figures?country=CR&fromMonth=2026-01&toMonth=2026-03", ct);
        var subMajor = await http.GetFromJsonAsync<JsonElement>("/api/v1/statistics/vacancy-figures?country=CRI&level=sub_major", ct);
        using var bad = await http.GetAsync("/api/v1/statistics/vacancy-figures?level=occupation&fromMonth=2026-13", ct);

        var figures = major.GetProperty("figures").EnumerateArray().ToDictionary(f => f.GetProperty("occupationGroup").GetString()!);
        var crafts = figures["7"];
        Assert.Equal(["2", "7"], figures.Keys.Order());
        Assert.Equal((2, 6), (crafts.GetProperty("openVacancies").GetInt32(), crafts.GetProperty("openPositions").GetInt32()));
        Assert.Equal((0.5, 0.5), (crafts.GetProperty("foreignWorkersEligibleShare").GetDouble(), crafts.GetProperty("feeFreeShare").GetDouble()));
        var wage = Assert.Single(crafts.GetProperty("wages").EnumerateArray());
        Assert.Equal(("CRC", "month", 1350d, 2), (wage.GetProperty("currency").GetString(), wage.GetProperty("period").GetString(), wage.GetProperty("median").GetDouble(), wage.GetProperty("vacancies").GetInt32()));
        Assert.Equal((1, 20d), (crafts.GetProperty("filledVacancies").GetInt32(), crafts.GetProperty("meanDaysToFill").GetDouble()));
        Assert.Equal([("2026-01", 2, 5), ("2026-02", 2, 6), ("2026-03", 2, 6)], crafts.GetProperty("months").EnumerateArray()
            .Select(m => (m.GetProperty("month").GetString(), m.GetProperty("openVacancies").GetInt32(), m.GetProperty("openPositions").GetInt32())));
        Assert.Equal(1d, figures["2"].GetProperty("feeFreeShare").GetDouble());
        Assert.Equal([0, 0, 1], figures["2"].GetProperty("months").EnumerateArray().Select(m => m.GetProperty("openVacancies").GetInt32()));
        Assert.Equal(["22", "71"], subMajor.GetProperty("figures").EnumerateArray().Select(f => f.GetProperty("occupationGroup").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Asking_for_a_country_outside_the_region_is_a_bad_request()
    {
        using var response = await _host.CreateClient().GetAsync("/api/v1/statistics/vacancy-counts?country=FRA", TestContext.Current.CancellationToken);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("country 'FRA': not a member state of RCM", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
