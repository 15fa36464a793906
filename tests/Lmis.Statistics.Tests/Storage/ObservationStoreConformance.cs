using Lmis.BuildingBlocks.Storage;
using Lmis.Statistics.Sdmx;
using Lmis.Statistics.Storage;
using Lmis.Testing;

namespace Lmis.Statistics.Tests.Storage;

/// <summary>What every observation store must do; each adapter runs this suite.</summary>
public abstract class ObservationStoreConformance
{
    private static readonly DataStructure Rates = BuiltInDataflows.UnemploymentRate;

    protected abstract IObservationStore CreateStore();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Observation Rate(string country, string sex, string period, decimal value, string status = "A") =>
        new(Rates, [country, period.Contains('Q', StringComparison.Ordinal) ? "Q" : "A", sex, "AGE_YTHADULT_YGE15"], TimePeriod.Parse(period), value, ["PT", "0", status, null]);

    private static ObservationQuery All(DateTimeOffset? asOf = null, PeriodBounds bounds = default) => new(Rates, [], _ => true, bounds, asOf);

    private static async Task<List<string>> ReadAsync(IObservationStore store, ObservationQuery query)
    {
        var read = new List<string>();
        await foreach (var o in store.ReadAsync(query, Ct))
        {
            read.Add($"{o.SeriesKey} {o.Period} {o.Value} {o.Attribute("OBS_STATUS")}");
        }

        return read;
    }

    [Fact]
    public async Task A_revision_keeps_the_earlier_value_as_a_vintage_readable_as_of_before_it()
    {
        var store = CreateStore();
        var t0 = new DateTimeOffset(2026, 1, 10, 8, 0, 0, TimeSpan.Zero);
        var first = await store.SaveAsync(Rates, [Rate("MEX", "SEX_T", "2025-Q4", 2.6m, "P"), Rate("MEX", "SEX_F", "2025-Q4", 2.8m)], "MEX", t0, Ct);
        var same = await store.SaveAsync(Rates, [Rate("MEX", "SEX_T", "2025-Q4", 2.6m, "P")], "MEX", t0.AddDays(1), Ct);
        var revision = await store.SaveAsync(Rates, [Rate("MEX", "SEX_T", "2025-Q4", 2.7m, "A")], "MEX", t0.AddDays(30), Ct);
        var again = await store.SaveAsync(Rates, [Rate("MEX", "SEX_T", "2025-Q4", 2.9m, "A")], "MEX", t0.AddDays(60), Ct);

        Assert.Equal((2, 0, 0), (first.Added, first.Revised, first.Unchanged));
        Assert.Equal((0, 0, 1), (same.Added, same.Revised, same.Unchanged));
        Assert.Equal((0, 1, 0), (revision.Added, revision.Revised, revision.Unchanged));
        Assert.Equal(["MEX.Q.SEX_T.AGE_YTHADULT_YGE15"], revision.RevisedSeries);
        Assert.Equal(1, again.Revised);
        Assert.Equal(["MEX.Q.SEX_F.AGE_YTHADULT_YGE15 2025-Q4 2.8 A", "MEX.Q.SEX_T.AGE_YTHADULT_YGE15 2025-Q4 2.9 A"], await ReadAsync(store, All()));
        Assert.Equal(["MEX.Q.SEX_F.AGE_YTHADULT_YGE15 2025-Q4 2.8 A", "MEX.Q.SEX_T.AGE_YTHADULT_YGE15 2025-Q4 2.6 P"], await ReadAsync(store, All(t0.AddDays(10))));
        Assert.Equal(["MEX.Q.SEX_F.AGE_YTHADULT_YGE15 2025-Q4 2.8 A", "MEX.Q.SEX_T.AGE_YTHADULT_YGE15 2025-Q4 2.7 A"], await ReadAsync(store, All(t0.AddDays(45))));
        Assert.Empty(await ReadAsync(store, All(t0.AddDays(-1))));
    }

    [Fact]
    public async Task Reads_filter_by_area_series_and_period_and_come_ordered_by_series_then_period()
    {
        var store = CreateStore();
        var at = DateTimeOffset.UtcNow;
        await store.SaveAsync(Rates, [Rate("GTM", "SEX_T", "2024", 3.0m), Rate("GTM", "SEX_T", "2022", 2.5m), Rate("GTM", "SEX_M", "2023", 2.9m)], "GTM", at, Ct);
        await store.SaveAsync(Rates, [Rate("HND", "SEX_T", "2023", 6.1m)], "HND", at, Ct);

        var all = await ReadAsync(store, All());
        var guatemala = await ReadAsync(store, new ObservationQuery(Rates, ["GTM"], key => key.Contains("SEX_T", StringComparison.Ordinal), default, null));
        var bounded = await ReadAsync(store, All(bounds: new PeriodBounds(TimePeriod.Parse("2023"), TimePeriod.Parse("2024"))));
        var named = await ReadAsync(store, new ObservationQuery(Rates, ["GTM", "HND"], _ => true, default, null,
            ["HND.A.SEX_T.AGE_YTHADULT_YGE15", "GTM.A.SEX_M.AGE_YTHADULT_YGE15", "BLZ.A.SEX_T.AGE_YTHADULT_YGE15"]));

        Assert.Equal(
            ["GTM.A.SEX_M.AGE_YTHADULT_YGE15 2023 2.9 A", "GTM.A.SEX_T.AGE_YTHADULT_YGE15 2022 2.5 A", "GTM.A.SEX_T.AGE_YTHADULT_YGE15 2024 3.0 A", "HND.A.SEX_T.AGE_YTHADULT_YGE15 2023 6.1 A"],
            all);
        Assert.Equal(["GTM.A.SEX_T.AGE_YTHADULT_YGE15 2022 2.5 A", "GTM.A.SEX_T.AGE_YTHADULT_YGE15 2024 3.0 A"], guatemala);
        Assert.Equal(3, bounded.Count);
        Assert.Equal(["GTM.A.SEX_M.AGE_YTHADULT_YGE15 2023 2.9 A", "HND.A.SEX_T.AGE_YTHADULT_YGE15 2023 6.1 A"], named);
    }

    [Fact]
    public async Task Reads_carry_their_vintage_and_updated_after_answers_only_what_was_recorded_since()
    {
        var store = CreateStore();
        var t0 = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
        await store.SaveAsync(Rates, [Rate("CRI", "SEX_T", "2024", 5.1m), Rate("CRI", "SEX_T", "2025", 5.3m), Rate("CRI", "SEX_F", "2025", 5.6m)], "CRI", t0, Ct);
        await store.SaveAsync(Rates, [Rate("CRI", "SEX_T", "2025", 5.4m), Rate("CRI", "SEX_T", "2026", 5.0m)], "CRI", t0.AddDays(7), Ct);

        var vintages = new List<(string, ObservationVintage?)>();
        await foreach (var o in store.ReadAsync(All(), Ct))
        {
            vintages.Add(($"{o.SeriesKey} {o.Period}", o.Vintage));
        }

        var since = await ReadAsync(store, All() with { UpdatedAfter = t0.AddDays(1) });
        var sinceAsOf = await ReadAsync(store, All(t0.AddDays(7)) with { UpdatedAfter = t0 });
        var lastChanged = await store.LastChangedAsync(Rates, Ct);
        var nothing = await store.LastChangedAsync(BuiltInDataflows.RemittanceInflows, Ct);

        Assert.Equal(
            [("CRI.A.SEX_F.AGE_YTHADULT_YGE15 2025", new ObservationVintage(t0, null)), ("CRI.A.SEX_T.AGE_YTHADULT_YGE15 2024", new ObservationVintage(t0, null)),
                ("CRI.A.SEX_T.AGE_YTHADULT_YGE15 2025", new ObservationVintage(t0.AddDays(7), null)), ("CRI.A.SEX_T.AGE_YTHADULT_YGE15 2026", new ObservationVintage(t0.AddDays(7), null))],
            vintages);
        Assert.Equal(["CRI.A.SEX_T.AGE_YTHADULT_YGE15 2025 5.4 A", "CRI.A.SEX_T.AGE_YTHADULT_YGE15 2026 5.0 A"], since);
        Assert.Equal(since, sinceAsOf);
        Assert.Equal(t0.AddDays(7), lastChanged);
        Assert.Null(nothing);
    }

    [Fact]
    public async Task Include_history_returns_every_value_kept_ordered_by_vintage_then_series_then_period()
    {
        var store = CreateStore();
        var t0 = new DateTimeOffset(2026, 4, 1, 8, 0, 0, TimeSpan.Zero);
        await store.SaveAsync(Rates, [Rate("DOM", "SEX_T", "2025", 6.0m, "P"), Rate("DOM", "SEX_F", "2025", 6.4m)], "DOM", t0, Ct);
        await store.SaveAsync(Rates, [Rate("DOM", "SEX_T", "2025", 6.1m, "P")], "DOM", t0.AddDays(10), Ct);
        await store.SaveAsync(Rates, [Rate("DOM", "SEX_T", "2025", 6.2m)], "DOM", t0.AddDays(20), Ct);

        var history = new List<string>();
        await foreach (var o in store.ReadAsync(All() with { IncludeHistory = true }, Ct))
        {
            history.Add($"{o.SeriesKey} {o.Value} {o.Vintage!.RecordedAt:MM-dd}-{o.Vintage.SupersededAt:MM-dd}");
        }

        var historySince = await ReadAsync(store, All() with { IncludeHistory = true, UpdatedAfter = t0.AddDays(5) });

        Assert.Equal(
            ["DOM.A.SEX_T.AGE_YTHADULT_YGE15 6.0 04-01-04-11", "DOM.A.SEX_F.AGE_YTHADULT_YGE15 6.4 04-01-",
                "DOM.A.SEX_T.AGE_YTHADULT_YGE15 6.1 04-11-04-21", "DOM.A.SEX_T.AGE_YTHADULT_YGE15 6.2 04-21-"],
            history);
        Assert.Equal(["DOM.A.SEX_T.AGE_YTHADULT_YGE15 2025 6.1 P", "DOM.A.SEX_T.AGE_YTHADULT_YGE15 2025 6.2 A"], historySince);
    }

    [Fact]
    public async Task New_and_revised_observations_are_announced_through_the_outbox_with_the_save()
    {
        var store = CreateStore();
        var at = DateTimeOffset.UtcNow;
        await store.SaveAsync(Rates, [Rate("PAN", "SEX_T", "2024", 7.4m), Rate("PAN", "SEX_T", "2025", 7.0m)], "PAN", at, Ct);
        await store.SaveAsync(Rates, [Rate("PAN", "SEX_T", "2025", 6.8m)], "PAN", at.AddMinutes(1), Ct);

        var pending = await store.Outbox.ReadPendingAsync(10, Ct);

        Assert.Equal(["DatasetPublished", "ObservationsRevised"], pending.Select(m => m.EventType));
        var published = Assert.IsType<Contracts.Events.DatasetPublished>(pending[0].ToEvent());
        Assert.Equal(("RCM:DF_UNE_RT(1.0)", "PAN", 2, "2024", "2025"), (published.Dataflow, published.Country, published.Added, published.FirstPeriod, published.LastPeriod));
    }
}

public sealed class SqliteObservationStoreTests : ObservationStoreConformance, IDisposable
{
    private readonly TempDirectory _directory = new("observations-sqlite");

    protected override IObservationStore CreateStore() =>
        new SqliteObservationStore(SqliteDatabase.Create(Path.Combine(_directory.Path, $"{Guid.NewGuid():N}.db"), SqliteObservationStore.Schema));

    public void Dispose() => _directory.Dispose();
}

public sealed class MongoObservationStoreTests : ObservationStoreConformance
{
    protected override IObservationStore CreateStore() =>
        new MongoObservationStore(MongoDatabaseFactory.Open(MongoServer.RequireConnectionString(), MongoServer.UniqueDatabase("observations"))).WithSchema();
}
