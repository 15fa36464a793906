using Lmis.Contracts.Events;
using Lmis.Statistics.Storage;

namespace Lmis.Statistics.Tests.Storage;

/// <summary>What every vacancy figure store must do; each adapter runs this suite.</summary>
public abstract class VacancyFigureStoreConformance
{
    protected abstract IVacancyFigureStore CreateStore();

    internal static VacancySnapshot Snapshot(Guid id, string country, string occupation, int positions, int version, string status = "open") =>
        new(id, country, $"SRC-{id:N}"[..12], version, occupation, positions, status, null, null);

    [Fact]
    public async Task Open_vacancies_are_counted_by_country_and_major_group()
    {
        var store = CreateStore();
        var ct = TestContext.Current.CancellationToken;
        await store.ApplyAsync([Snapshot(Guid.NewGuid(), "MEX", "7112", 3, 1)], ct);
        await store.ApplyAsync([Snapshot(Guid.NewGuid(), "MEX", "7126", 1, 1)], ct);
        await store.ApplyAsync([Snapshot(Guid.NewGuid(), "MEX", "2221", 2, 1)], ct);
        await store.ApplyAsync([Snapshot(Guid.NewGuid(), "GTM", "6111", 10, 1)], ct);
        await store.ApplyAsync([Snapshot(Guid.NewGuid(), "GTM", "6111", 10, 1, status: "filled")], ct);

        var all = await store.CountOpenAsync(null, ct);
        var mexico = await store.CountOpenAsync("MEX", ct);

        Assert.Equal(
            [new VacancyCount("GTM", "6", 1, 10), new VacancyCount("MEX", "2", 1, 2), new VacancyCount("MEX", "7", 2, 4)],
            all);
        Assert.Equal([new VacancyCount("MEX", "2", 1, 2), new VacancyCount("MEX", "7", 2, 4)], mexico);
    }

    [Fact]
    public async Task The_change_feed_position_is_kept_with_the_facts_it_brought_and_forgotten_by_a_clear()
    {
        var store = CreateStore();
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(0, await store.ReadChangeFeedPositionAsync(ct));
        var id = Guid.NewGuid();

        Assert.Equal(1, await store.ApplyFromChangeFeedAsync([Snapshot(id, "HND", "6111", 4, 2)], 17, ct));
        // An event with an older version arriving after the change feed was read changes nothing.
        Assert.Equal(0, await store.ApplyAsync([Snapshot(id, "HND", "6111", 9, 1)], ct));
        Assert.Equal(0, await store.ApplyFromChangeFeedAsync([], 42, ct));

        Assert.Equal(42, await store.ReadChangeFeedPositionAsync(ct));
        Assert.Equal([new VacancyCount("HND", "6", 1, 4)], await store.CountOpenAsync("HND", ct));

        await store.ClearAsync(ct);
        Assert.Equal(0, await store.ReadChangeFeedPositionAsync(ct));
        Assert.Empty(await store.CountOpenAsync("HND", ct));
    }

    [Fact]
    public async Task A_repeated_or_older_version_changes_nothing()
    {
        var store = CreateStore();
        var ct = TestContext.Current.CancellationToken;
        var id = Guid.NewGuid();

        Assert.Equal(1, await store.ApplyAsync([Snapshot(id, "CRI", "6111", 2, 1)], ct));
        Assert.Equal(0, await store.ApplyAsync([Snapshot(id, "CRI", "6111", 2, 1)], ct));
        Assert.Equal(1, await store.ApplyAsync([Snapshot(id, "CRI", "6111", 7, 3)], ct));
        Assert.Equal(0, await store.ApplyAsync([Snapshot(id, "CRI", "6111", 5, 2)], ct));
        Assert.Equal(1, await store.ApplyAsync([Snapshot(id, "CRI", "6111", 1, 4), Snapshot(id, "CRI", "6111", 9, 3), Snapshot(id, "CRI", "6111", 7, 4)], ct));

        Assert.Equal([new VacancyCount("CRI", "6", 1, 1)], await store.CountOpenAsync("CRI", ct));
    }

    [Fact]
    public async Task A_vacancy_that_moves_to_another_occupation_is_counted_once_in_its_new_group()
    {
        var store = CreateStore();
        var ct = TestContext.Current.CancellationToken;
        var id = Guid.NewGuid();
        await store.ApplyAsync([Snapshot(id, "PAN", "7112", 1, 1)], ct);

        await store.ApplyAsync([Snapshot(id, "PAN", "2221", 1, 2)], ct);

        Assert.Equal([new VacancyCount("PAN", "2", 1, 1)], await store.CountOpenAsync("PAN", ct));
    }
}
