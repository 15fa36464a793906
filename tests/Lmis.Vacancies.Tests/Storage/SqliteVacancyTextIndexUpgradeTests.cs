using Lmis.BuildingBlocks.Storage;
using Lmis.Contracts.Events;
using Lmis.Testing;
using Lmis.Vacancies.Search;
using Lmis.Vacancies.Storage;
using Microsoft.Data.Sqlite;

namespace Lmis.Vacancies.Tests.Storage;

/// <summary>A vacancies file written by an earlier release, whose text index held title and description only.</summary>
public sealed class SqliteVacancyTextIndexUpgradeTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new("vacancies-upgrade");

    [Theory]
    [InlineData("""
        CREATE VIRTUAL TABLE vacancy_text USING fts5 (title, description, tokenize = 'unicode61 remove_diacritics 2');
        INSERT INTO vacancy_text (rowid, title, description)
        SELECT seq, json_extract(content, '$.Title'), json_extract(content, '$.Description') FROM vacancies;
        """)]
    [InlineData("""
        CREATE VIRTUAL TABLE vacancy_text USING fts5 (title, description, country, status, occupation, tokenize = 'unicode61 remove_diacritics 2');
        INSERT INTO vacancy_text (rowid, title, description, country, status, occupation)
        SELECT seq, json_extract(content, '$.Title'), json_extract(content, '$.Description'), country, status, '' FROM vacancies;
        """)]
    [InlineData("""
        CREATE VIRTUAL TABLE vacancy_text USING fts5 (title, description, country, status, occupation,
            content = '', contentless_delete = 1, detail = column, tokenize = 'unicode61 remove_diacritics 2');
        INSERT INTO vacancy_text (rowid, title, description, country, status, occupation)
        SELECT seq, json_extract(content, '$.Title'), json_extract(content, '$.Description'), country, status, '' FROM vacancies;
        """)]
    public async Task The_text_index_of_an_earlier_release_is_built_again_and_words_with_filters_find_every_stored_vacancy(string earlierTextIndex)
    {
        var ct = TestContext.Current.CancellationToken;
        var file = Path.Combine(_directory.Path, "vacanciesdb.db");
        var store = Open(file);
        await store.UpsertAsync("GTM", "MT-1", VacancyStoreConformance.Content("Enfermera turno nocturno", occupation: "2221"), Now, ct);
        await store.UpsertAsync("MEX", "STPS-1", VacancyStoreConformance.Content("Enfermera turno nocturno", occupation: "2221"), Now, ct);
        await store.UpsertAsync("MEX", "STPS-2", VacancyStoreConformance.Content("Albañil", occupation: "7112"), Now, ct);
        await store.UpsertAsync("MEX", "STPS-3", VacancyStoreConformance.Content("Ayudante", occupation: "9313") with { Description = "Apoyo al albañil" }, Now, ct);
        await store.UpsertAsync("PAN", "M-1", VacancyStoreConformance.Content("Chofer", occupation: "8322") with { Description = "Reparto" }, Now, ct);
        await store.UpsertAsync("PAN", "M-2", VacancyStoreConformance.Content("Cajero", occupation: "5230") with { Description = "Tienda" }, Now, ct);
        await store.CloseAsync("MEX", "STPS-1", VacancyStatus.Filled, Now, ct);
        SqliteConnection.ClearAllPools();
        Execute(file, "DROP TABLE vacancy_text;" + earlierTextIndex);

        var upgraded = Open(file);

        async Task<string[]> Find(VacancyQuery query) =>
            [.. (await upgraded.SearchAsync(query, ct)).Vacancies.Select(v => $"{v.Country}/{v.SourceId}").Order(StringComparer.Ordinal)];
        Assert.Equal(["GTM/MT-1"], await Find(new VacancyQuery { Countries = ["GTM"], Text = "nocturno", OccupationPrefix = "22" }));
        Assert.Equal(["MEX/STPS-1"], await Find(new VacancyQuery { Countries = ["MEX"], Text = "enfermera", Statuses = [VacancyStatus.Filled] }));
        Assert.Equal(["MEX/STPS-2"], await Find(new VacancyQuery { Countries = ["MEX"], Text = "albanil", OccupationPrefix = "711" }));
        Assert.Equal(4, Scalar(file, "SELECT count(*) FROM vacancy_text WHERE vacancy_text MATCH 'country: (mex OR gtm)'"));
        // The rebuilt index ranks: the word in a title before the same word in a newer description.
        Assert.Equal(["STPS-2", "STPS-3"], (await upgraded.SearchAsync(new VacancyQuery { Text = "albanil", Order = VacancyOrder.Relevance }, ct)).Vacancies.Select(v => v.SourceId));
        // The index keeps no copy of the text any more.
        Assert.Equal(0, Scalar(file, "SELECT count(*) FROM sqlite_master WHERE name = 'vacancy_text_content'"));
    }

    [Fact]
    public async Task Opening_a_current_file_again_leaves_its_text_index_as_it_is()
    {
        var ct = TestContext.Current.CancellationToken;
        var file = Path.Combine(_directory.Path, "current.db");
        await Open(file).UpsertAsync("PAN", "M-1", VacancyStoreConformance.Content("Cocinero"), Now, ct);
        var before = Scalar(file, "SELECT count(*) FROM vacancy_text_data");

        var again = Open(file);

        Assert.Equal(before, Scalar(file, "SELECT count(*) FROM vacancy_text_data"));
        Assert.Equal(["M-1"], (await again.SearchAsync(new VacancyQuery { Countries = ["PAN"], Text = "cocinero" }, ct)).Vacancies.Select(v => v.SourceId));
    }

    [Theory]
    [InlineData("GTM", null, null)]
    [InlineData("GTM", "open", null)]
    [InlineData("GTM", "open", "22")]
    [InlineData("MEX", null, "711")]
    public async Task Words_with_filters_are_found_through_the_text_index_first_never_by_asking_it_once_per_row(string country, string? status, string? occupation)
    {
        var ct = TestContext.Current.CancellationToken;
        var file = Path.Combine(_directory.Path, "plan.db");
        var store = Open(file);
        for (var i = 0; i < 200; i++)
        {
            await store.UpsertAsync(i % 2 == 0 ? "GTM" : "MEX", $"P-{i}", VacancyStoreConformance.Content("Enfermera turno nocturno", occupation: i % 3 == 0 ? "2221" : "7112"), Now, ct);
        }

        var search = new SqliteVacancySearch(SqliteDatabase.Create(file, SqliteVacancyStore.Schema, SqliteVacancyStore.Upgrade));
        var plan = await search.PlanAsync(new VacancyQuery
        {
            Countries = [country],
            Statuses = status is null ? [] : [status],
            OccupationPrefix = occupation,
            Text = "turno nocturno",
        }, ct);

        // Given country, status and an occupation range, the planner would rather walk the country index and ask the
        // text index about each row it finds (seconds at 100,000 vacancies).
        var text = plan.ToList().FindIndex(step => step.StartsWith("SCAN t VIRTUAL TABLE", StringComparison.Ordinal));
        var rows = plan.ToList().FindIndex(step => step.StartsWith("SEARCH v USING INTEGER PRIMARY KEY", StringComparison.Ordinal));
        Assert.True(text >= 0 && rows > text, "plan: " + string.Join(" | ", plan));
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    public void Dispose() => _directory.Dispose();

    private static SqliteVacancyStore Open(string file) =>
        new(SqliteDatabase.Create(file, SqliteVacancyStore.Schema, SqliteVacancyStore.Upgrade));

    private static void Execute(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
