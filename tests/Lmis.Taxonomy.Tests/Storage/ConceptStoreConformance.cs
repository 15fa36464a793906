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
        new(code, parent, level, ConceptStatus.Active, null, [new ConceptLabel("en", LabelKind.Preferred, en)], []);

    private static SchemeVersionContent Content(string scheme, params Concept[] concepts) => new(scheme, concepts, []);

    private static IIntegrationEvent Announce(SchemeVersion v) =>
        new TaxonomyVersionReleased(Guid.NewGuid(), v.ReleasedAt, v.Scheme, v.Version, v.ConceptCount);

    [Fact]
    public async Task A_version_is_stored_and_loaded_whole()
    {
        var store = CreateStore();
        var ct = TestContext.Current.CancellationToken;
        Concept[] concepts =
        [
            new("7", null, 1, ConceptStatus.Active, null,
                [new("en", LabelKind.Preferred, "Craft and related trades workers"), new("es", LabelKind.Preferred, "Oficiales, operarios y artesanos"),
                 new("es", LabelKind.Alternative, "Artesanos"), new("en", LabelKind.Definition, "Workers who apply specific knowledge…")],
                [new("note", "built in"), new("note", "second value")]),
            new("71", "7", 2, ConceptStatus.Deprecated, "72", [new("en", LabelKind.Preferred, "Old building trades")], []),
            new("72", "7", 2, ConceptStatus.Active, null, [new("en", LabelKind.Preferred, "Metal trades")], []),
        ];
        ConceptRelation[] relations = [new("7", RelationType.Broader, "soc2010", "47-2021"), new("72", RelationType.EssentialSkill, "skills", "S1")];

        var released = await store.ReleaseVersionAsync(new SchemeVersionContent("isco08", concepts, relations), 0, Announce, Now, ct);
        var loaded = await store.LoadVersionAsync("isco08", released.Version, ct);

        Assert.Equal(("isco08", 1, 3, Now), (released.Scheme, released.Version, released.ConceptCount, released.ReleasedAt));
        Assert.NotNull(loaded);
        Assert.Equal(concepts.Select(c => c.Code), loaded.Concepts.Select(c => c.Code));
        foreach (var (expected, actual) in concepts.Zip(loaded.Concepts))
        {
            Assert.True(expected.SameAs(actual), $"{expected.Code} came back as {actual}");
            Assert.Equal(expected.Level, actual.Level);
        }

        Assert.Equal(relations.OrderBy(r => r.Code), loaded.Relations);
        Assert.Null(await store.LoadVersionAsync("isco08", 2, ct));
    }

    [Fact]
    public async Task Releases_are_numbered_and_every_version_stays_readable()
    {
        var store = CreateStore();
        var ct = TestContext.Current.CancellationToken;

        await store.ReleaseVersionAsync(Content("isco08", Concept("7", null, 1, "Craft")), 0, Announce, Now, ct);
        await store.ReleaseVersionAsync(Content("isco08", Concept("7", null, 1, "Craft and related trades workers")), 1, Announce, Now.AddDays(1), ct);
        await store.ReleaseVersionAsync(Content("noc2021", Concept("72", null, 1, "Trades")), 0, Announce, Now, ct);

        Assert.Equal(2, (await store.FindVersionAsync("isco08", null, ct))!.Version);
        Assert.Equal(Now, (await store.FindVersionAsync("isco08", 1, ct))!.ReleasedAt);
        Assert.Equal([1, 2], (await store.ListVersionsAsync("isco08", ct)).Select(v => v.Version));
        Assert.Equal([("isco08", 2), ("noc2021", 1)], (await store.ListLatestVersionsAsync(ct)).Select(v => (v.Scheme, v.Version)));
        Assert.Equal("Craft", (await store.LoadVersionAsync("isco08", 1, ct))!.Concepts.Single().PreferredLabel("en"));
        Assert.Null(await store.FindVersionAsync("esco", null, ct));
        Assert.Empty(await store.ListVersionsAsync("esco", ct));
    }

    [Fact]
    public async Task A_release_writes_its_event_in_the_outbox_until_dispatched()
    {
        var store = CreateStore();
        var ct = TestContext.Current.CancellationToken;

        var released = await store.ReleaseVersionAsync(Content("isco08", Concept("7", null, 1, "Craft")), 0, Announce, Now, ct);

        var message = Assert.Single(await store.Outbox.ReadPendingAsync(10, ct));
        var announced = Assert.IsType<TaxonomyVersionReleased>(message.ToEvent());
        Assert.Equal(("isco08", released.Version, 1), (announced.Scheme, announced.Version, announced.ConceptCount));
        await store.Outbox.MarkDispatchedAsync([message.EventId], ct);
        Assert.Empty(await store.Outbox.ReadPendingAsync(10, ct));
    }

    [Fact]
    public async Task A_release_checked_against_an_older_version_is_refused_and_stores_nothing()
    {
        var store = CreateStore();
        var ct = TestContext.Current.CancellationToken;
        await store.ReleaseVersionAsync(Content("isco08", Concept("7", null, 1, "Craft")), 0, Announce, Now, ct);

        await Assert.ThrowsAsync<ConcurrentReleaseException>(() =>
            store.ReleaseVersionAsync(Content("isco08", Concept("8", null, 1, "Plant")), 0, Announce, Now, ct));

        Assert.Equal([1], (await store.ListVersionsAsync("isco08", ct)).Select(v => v.Version));
        Assert.Single(await store.Outbox.ReadPendingAsync(10, ct));
    }

    [Fact]
    public async Task Of_concurrent_releases_against_the_same_version_exactly_one_is_stored()
    {
        var store = CreateStore();
        var ct = TestContext.Current.CancellationToken;

        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            try
            {
                await store.ReleaseVersionAsync(Content("isco08", Concept("7", null, 1, $"Craft {i}")), 0, Announce, Now, ct);
                return true;
            }
            catch (ConcurrentReleaseException)
            {
                return false;
            }
        }));

        Assert.Single(attempts, stored => stored);
        Assert.Equal([1], (await store.ListVersionsAsync("isco08", ct)).Select(v => v.Version));
        Assert.Single(await store.Outbox.ReadPendingAsync(10, ct));
    }
}
