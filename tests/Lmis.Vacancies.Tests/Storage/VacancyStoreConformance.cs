using Lmis.Contracts.Events;
using Lmis.Vacancies.Publishing;
using Lmis.Vacancies.Storage;

namespace Lmis.Vacancies.Tests.Storage;

/// <summary>What every vacancy store must do; each adapter runs this suite.</summary>
public abstract class VacancyStoreConformance
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    protected abstract IVacancyStore CreateStore();

    private static VacancyContent Content(string title = "Albañil", int positions = 2) =>
        new(title, "Obra en Monterrey", "es", "7112", positions, new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 31));

    [Fact]
    public async Task A_new_vacancy_is_created_with_its_published_event()
    {
        var store = CreateStore();
        var ct = TestContext.Current.CancellationToken;

        var (vacancy, outcome) = await store.UpsertAsync("MEX", "STPS-1", Content(), Now, ct);

        Assert.Equal((PublishOutcome.Created, 1, VacancyStatus.Open), (outcome, vacancy.Version, vacancy.Status));
        Assert.Equal(vacancy, await store.FindAsync("MEX", "STPS-1", ct));
        var published = Assert.IsType<VacancyPublished>(Assert.Single(await store.Outbox.ReadPendingAsync(10, ct)).ToEvent());
        Assert.Equal((vacancy.Id, "MEX", "STPS-1", 1, "7112", 2), (published.Vacancy.VacancyId, published.Vacancy.Country,
            published.Vacancy.SourceId, published.Vacancy.Version, published.Vacancy.OccupationCode, published.Vacancy.Positions));
    }

    [Fact]
    public async Task Publishing_the_same_content_again_changes_nothing_and_announces_nothing()
    {
        var store = CreateStore();
        var ct = TestContext.Current.CancellationToken;
        var (first, _) = await store.UpsertAsync("MEX", "STPS-1", Content(), Now, ct);

        var (again, outcome) = await store.UpsertAsync("MEX", "STPS-1", Content(), Now.AddHours(1), ct);

        Assert.Equal(PublishOutcome.Unchanged, outcome);
        Assert.Equal(first, again);
        Assert.Single(await store.Outbox.ReadPendingAsync(10, ct));
    }

    [Fact]
    public async Task A_changed_vacancy_becomes_its_next_version_with_an_updated_event()
    {
        var store = CreateStore();
        var ct = TestContext.Current.CancellationToken;
        var (first, _) = await store.UpsertAsync("MEX", "STPS-1", Content(), Now, ct);

        var (second, outcome) = await store.UpsertAsync("MEX", "STPS-1", Content(positions: 5), Now.AddHours(1), ct);

        Assert.Equal(PublishOutcome.Updated, outcome);
        Assert.Equal((first.Id, 2, 5, first.PublishedAt, Now.AddHours(1)), (second.Id, second.Version, second.Content.Positions, second.PublishedAt, second.UpdatedAt));
        Assert.Equal(second, await store.FindAsync("MEX", "STPS-1", ct));
        var events = (await store.Outbox.ReadPendingAsync(10, ct)).Select(m => m.ToEvent()).ToArray();
        Assert.IsType<VacancyPublished>(events[0]);
        Assert.Equal(2, Assert.IsType<VacancyUpdated>(events[1]).Vacancy.Version);
    }

    [Fact]
    public async Task The_same_source_id_in_two_countries_is_two_vacancies()
    {
        var store = CreateStore();
        var ct = TestContext.Current.CancellationToken;

        var (mexico, _) = await store.UpsertAsync("MEX", "42", Content(), Now, ct);
        var (guatemala, _) = await store.UpsertAsync("GTM", "42", Content(), Now, ct);

        Assert.NotEqual(mexico.Id, guatemala.Id);
        Assert.Equal("GTM", (await store.FindAsync("GTM", "42", ct))!.Country);
        Assert.Null(await store.FindAsync("CRI", "42", ct));
    }

    [Fact]
    public async Task Concurrent_publishers_of_one_vacancy_leave_one_record_and_one_event_per_version()
    {
        var store = CreateStore();
        var ct = TestContext.Current.CancellationToken;

        var results = await Task.WhenAll(Enumerable.Range(1, 6).Select(i =>
            store.UpsertAsync("HND", "SENAEH-7", Content(positions: i), Now, ct)));

        Assert.Single(results, r => r.Outcome == PublishOutcome.Created);
        var stored = await store.FindAsync("HND", "SENAEH-7", ct);
        Assert.Equal(6, stored!.Version);
        var versions = (await store.Outbox.ReadPendingAsync(100, ct))
            .Select(m => m.ToEvent() switch { VacancyPublished p => p.Vacancy.Version, VacancyUpdated u => u.Vacancy.Version, _ => 0 })
            .Order();
        Assert.Equal(Enumerable.Range(1, 6), versions);
    }
}
