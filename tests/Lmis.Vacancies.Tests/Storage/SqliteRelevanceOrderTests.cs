using Lmis.BuildingBlocks.Storage;
using Lmis.Contracts.Events;
using Lmis.Testing;
using Lmis.Vacancies.Publishing;
using Lmis.Vacancies.Search;
using Lmis.Vacancies.Storage;

namespace Lmis.Vacancies.Tests.Storage;

/// <summary>Searches by relevance on the SQLite store: the best matches first, paged by rank, the text index leading.</summary>
public sealed class SqliteRelevanceOrderTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new("vacancies-relevance");
    private readonly SqliteVacancyStore _store;
    private readonly SqliteVacancySearch _search;

    public SqliteRelevanceOrderTests()
    {
        var database = SqliteDatabase.Create(Path.Combine(_directory.Path, "vacancies.db"), SqliteVacancyStore.Schema, SqliteVacancyStore.Upgrade);
        _store = new SqliteVacancyStore(database);
        _search = new SqliteVacancySearch(database);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static VacancyContent Content(string title, string description, string occupation = "5120") =>
        new(title, description, "es", occupation, 1, new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 31));

    private async Task<string[]> Find(VacancyQuery query) =>
        [.. (await _store.SearchAsync(query, Ct)).Vacancies.Select(v => v.SourceId)];

    [Fact]
    public async Task A_word_in_the_title_ranks_before_the_same_word_in_a_newer_description_and_ties_go_newest_first()
    {
        await _store.UpsertAsync("MEX", "in-title", Content("Cocinero", "Cocina de hotel en Cancún, turno de mañana"), Now, Ct);
        await _store.UpsertAsync("MEX", "no-match", Content("Chofer", "Reparto en la ciudad"), Now, Ct);
        await _store.UpsertAsync("MEX", "in-description", Content("Ayudante general", "Apoyo al cocinero del restaurante, turno de mañana"), Now, Ct);
        await _store.UpsertAsync("MEX", "in-title-newer", Content("Cocinero", "Cocina de hotel en Cancún, turno de mañana"), Now, Ct);

        Assert.Equal(["in-title-newer", "in-title", "in-description"], await Find(new VacancyQuery { Text = "cocinero", Order = VacancyOrder.Relevance }));
        Assert.Equal(["in-title-newer", "in-description", "in-title"], await Find(new VacancyQuery { Text = "cocinero" }));
        // A rarer word weighs more: "hotel" is in two vacancies, "mañana" in three; the one with both words in its
        // title ranks first, whatever else it holds.
        await _store.UpsertAsync("MEX", "rare-in-title", Content("Hotel: cocinero de mañana", "Restaurante"), Now, Ct);
        Assert.Equal("rare-in-title", (await Find(new VacancyQuery { Text = "cocinero hotel", Order = VacancyOrder.Relevance }))[0]);
    }

    [Fact]
    public async Task Filters_still_hold_and_a_filter_value_never_adds_to_the_rank()
    {
        await _store.UpsertAsync("GTM", "gtm-description", Content("Ayudante", "Ayuda al enfermero de guardia"), Now, Ct);
        await _store.UpsertAsync("MEX", "mex-title", Content("Enfermero", "Hospital general"), Now, Ct);
        await _store.UpsertAsync("GTM", "gtm-title", Content("Enfermero", "Hospital general", occupation: "2221"), Now, Ct);
        await _store.CloseAsync("GTM", "gtm-title", VacancyStatus.Filled, Now, Ct);

        Assert.Equal(["gtm-description"], await Find(new VacancyQuery { Countries = ["GTM"], Text = "enfermero", Order = VacancyOrder.Relevance }));
        Assert.Equal(["gtm-title", "gtm-description"], await Find(new VacancyQuery { Countries = ["GTM"], Text = "enfermero", Statuses = [], Order = VacancyOrder.Relevance }));
        Assert.Equal(["gtm-title"], await Find(new VacancyQuery { Text = "enfermero", Statuses = [], OccupationPrefix = "22", Order = VacancyOrder.Relevance }));
        var none = await _store.SearchAsync(new VacancyQuery { Countries = ["PAN"], Text = "enfermero", Order = VacancyOrder.Relevance, IncludeTotal = true }, Ct);
        Assert.Equal((0, null, 0L), (none.Vacancies.Count, none.NextPageToken, none.Total));
    }

    [Fact]
    public async Task Pages_by_relevance_give_every_match_once_in_rank_order_and_tell_the_total()
    {
        // Three kinds of match, interleaved in time: the title, the description, and both; among more vacancies
        // without the word (a word in nearly every vacancy tells BM25 nothing, and all would tie).
        await _store.UpsertAsync([.. Enumerable.Range(0, 60).Select(i => new VacancyWrite("HND", $"X-{i:D2}", Content("Chofer", "Reparto")))], Now, Ct);
        await _store.UpsertAsync([.. Enumerable.Range(0, 45).Select(i => new VacancyWrite("HND", $"V-{i:D2}", (i % 3) switch
        {
            0 => Content("Electricista", "Instalaciones residenciales"),
            1 => Content("Técnico", "Apoyo al electricista de obra"),
            _ => Content("Electricista", "Electricista industrial con experiencia"),
        }))], Now, Ct);

        var everything = await _store.SearchAsync(new VacancyQuery { Text = "electricista", Order = VacancyOrder.Relevance, PageSize = 200 }, Ct);
        var pages = new List<string>();
        VacancyPage page;
        var query = new VacancyQuery { Text = "electricista", Order = VacancyOrder.Relevance, PageSize = 10, IncludeTotal = true };
        do
        {
            page = await _store.SearchAsync(query, Ct);
            Assert.Equal(45, page.Total);
            pages.AddRange(page.Vacancies.Select(v => v.SourceId));
            query = query with { Skip = (int)(page.Next ?? 0) };
            Assert.True(page.Next is null || page.NextPageToken == $"r{page.Next}");
        }
        while (page.Next is not null);

        Assert.Equal(everything.Vacancies.Select(v => v.SourceId), pages);
        Assert.Equal(45, pages.Distinct().Count());
        // Title and description first, then title only (a short description), then description only.
        Assert.All(pages.Take(15), id => Assert.Equal(2, int.Parse(id[2..], System.Globalization.CultureInfo.InvariantCulture) % 3));
        Assert.All(pages.Skip(30), id => Assert.Equal(1, int.Parse(id[2..], System.Globalization.CultureInfo.InvariantCulture) % 3));
    }

    [Fact]
    public async Task Relevance_ranks_the_newest_matches_only_and_the_total_still_counts_every_match()
    {
        // The best match of all (the word in its title, a short text) is older than the window of ranked matches.
        await _store.UpsertAsync("CRI", "oldest-best", Content("Fontanero", "Fontanero"), Now, Ct);
        await _store.UpsertAsync([.. Enumerable.Range(0, VacancySearch.MaxRankedMatches).Select(i =>
            new VacancyWrite("CRI", $"N-{i:D4}", Content("Ayudante", "Ayudante de obra: apoyo al fontanero y al albañil")))], Now, Ct);
        await _store.UpsertAsync([.. Enumerable.Range(0, 50).Select(i => new VacancyWrite("CRI", $"X-{i:D2}", Content("Chofer", "Reparto")))], Now, Ct);

        var ranked = new List<string>();
        var query = new VacancyQuery { Text = "fontanero", Order = VacancyOrder.Relevance, PageSize = 200, IncludeTotal = true };
        VacancyPage page;
        do
        {
            page = await _store.SearchAsync(query, Ct);
            Assert.Equal(VacancySearch.MaxRankedMatches + 1, page.Total);
            ranked.AddRange(page.Vacancies.Select(v => v.SourceId));
            query = query with { Skip = (int)(page.Next ?? 0) };
        }
        while (page.Next is not null);

        Assert.Equal(VacancySearch.MaxRankedMatches, ranked.Distinct().Count());
        Assert.DoesNotContain("oldest-best", ranked);
        // Newest first, it is there.
        Assert.Contains("oldest-best", await Find(new VacancyQuery { Text = "fontanero", Countries = ["CRI"], OccupationPrefix = "5", PageSize = 200, After = 3 }));
    }

    [Fact]
    public async Task The_text_index_leads_a_search_by_relevance_with_any_filters()
    {
        foreach (var query in new[]
        {
            new VacancyQuery { Text = "cocinero", Order = VacancyOrder.Relevance },
            new VacancyQuery { Text = "cocinero turno", Countries = ["MEX"], OccupationPrefix = "51", Order = VacancyOrder.Relevance },
        })
        {
            var plan = await _search.PlanAsync(query, Ct);
            Assert.Contains(plan, step => step.StartsWith("SCAN t VIRTUAL TABLE", StringComparison.Ordinal));
            Assert.DoesNotContain(plan, step => step.Contains("vacancies_by_", StringComparison.Ordinal));
        }
    }

    public void Dispose() => _directory.Dispose();
}
