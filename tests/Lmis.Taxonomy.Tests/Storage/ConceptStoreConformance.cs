using Lmis.BuildingBlocks.Outbox;
using Lmis.Contracts.Events;
using Lmis.Taxonomy.Schemes;
using Lmis.Taxonomy.Storage;

namespace Lmis.Taxonomy.Tests.Storage;

/// <summary>What every concept store must do; each adapter runs this suite.</summary>
public abstract class ConceptStoreConformance
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    protected abstract IConceptStore CreateStore();

    private static Concept Concept(string code, string? parent, int level, string en) =>
        new(code, parent, level, new Dictionary<string, string> { ["en"] = en });

    private static IIntegrationEvent Announce(SchemeVersion v) =>
        new TaxonomyVersionReleased(Guid.NewGuid(), v.ReleasedAt, v.Scheme, v.Version, v.ConceptCount);

    [Fact]
    public async Task Releases_are_numbered_and_old_versions_stay_readable()
    {
        var store = CreateStore();
        var ct = TestContext.Current.CancellationToken;

        var first = await store.ReleaseVersionAsync("isco08", [Concept("7", null, 1, "Craft"), Concept("71", "7", 2, "Building")], Announce, Now, ct);
        var second = await store.ReleaseVersionAsync("isco08", [Concept("7", null, 1, "Craft and related trades workers")], Announce, Now.AddDays(1), ct);

        Assert.Equal(1, first.Version);
        Assert.Equal(2, second.Version);
        Assert.Equal(2, (await store.FindVersionAsync("isco08", null, ct))!.Version);
        Assert.Equal("Craft and related trades workers", (await store.FindConceptAsync("isco08", 2, "7", ct))!.Labels["en"]);
        Assert.Equal("Craft", (await store.FindConceptAsync("isco08", 1, "7", ct))!.Labels["en"]);

        var building = await store.FindConceptAsync("isco08", 1, "71", ct);
        Assert.Equal(new Concept("71", "7", 2, new Dictionary<string, string> { ["en"] = "Building" }).Code, building!.Code);
        Assert.Equal("7", building.ParentCode);
        Assert.Equal(2, building.Level);
        Assert.Null(await store.FindConceptAsync("isco08", 2, "71", ct));
    }

    [Fact]
    public async Task Unknown_schemes_versions_and_codes_are_not_found()
    {
        var store = CreateStore();
        var ct = TestContext.Current.CancellationToken;
        await store.ReleaseVersionAsync("isco08", [Concept("7", null, 1, "Craft")], Announce, Now, ct);

        Assert.Null(await store.FindVersionAsync("noc2021", null, ct));
        Assert.Null(await store.FindVersionAsync("isco08", 9, ct));
        Assert.Null(await store.FindConceptAsync("isco08", 1, "8", ct));
    }

    [Fact]
    public async Task A_release_writes_its_event_in_the_outbox_until_dispatched()
    {
        var store = CreateStore();
        var ct = TestContext.Current.CancellationToken;

        var released = await store.ReleaseVersionAsync("isco08", [Concept("7", null, 1, "Craft")], Announce, Now, ct);

        var pending = await store.Outbox.ReadPendingAsync(10, ct);
        var message = Assert.Single(pending);
        var announced = Assert.IsType<TaxonomyVersionReleased>(message.ToEvent());
        Assert.Equal(("isco08", released.Version, 1), (announced.Scheme, announced.Version, announced.ConceptCount));

        await store.Outbox.MarkDispatchedAsync([message.EventId], ct);
        Assert.Empty(await store.Outbox.ReadPendingAsync(10, ct));
    }

    [Fact]
    public async Task Latest_versions_are_listed_per_scheme()
    {
        var store = CreateStore();
        var ct = TestContext.Current.CancellationToken;
        await store.ReleaseVersionAsync("isco08", [Concept("7", null, 1, "Craft")], Announce, Now, ct);
        await store.ReleaseVersionAsync("isco08", [Concept("7", null, 1, "Craft"), Concept("8", null, 1, "Plant")], Announce, Now, ct);
        await store.ReleaseVersionAsync("noc2021", [Concept("72", null, 1, "Trades")], Announce, Now, ct);

        var latest = await store.ListLatestVersionsAsync(ct);

        Assert.Equal([("isco08", 2, 2), ("noc2021", 1, 1)], latest.Select(v => (v.Scheme, v.Version, v.ConceptCount)));
    }

    [Fact]
    public async Task Concurrent_releases_get_distinct_versions()
    {
        var store = CreateStore();
        var ct = TestContext.Current.CancellationToken;

        var releases = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            store.ReleaseVersionAsync("isco08", [Concept("7", null, 1, $"Craft {i}")], Announce, Now, ct)));

        Assert.Equal(Enumerable.Range(1, 8), releases.Select(r => r.Version).Order());
        Assert.Equal(8, (await store.Outbox.ReadPendingAsync(100, ct)).Count);
    }
}
