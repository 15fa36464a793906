using Lmis.BuildingBlocks.Storage;
using Lmis.Statistics.Storage;
using Lmis.Testing;
using Microsoft.Data.Sqlite;

namespace Lmis.Statistics.Tests.Storage;

/// <summary>A statistics file written by an earlier release, opened by this one.</summary>
public sealed class SqliteVacancyFigureUpgradeTests : IDisposable
{
    private readonly TempDirectory _directory = new("statistics-upgrade");

    [Fact]
    public async Task A_file_whose_figures_were_kept_as_vacancies_seen_keeps_every_row_and_its_change_feed_position()
    {
        var ct = TestContext.Current.CancellationToken;
        var file = Path.Combine(_directory.Path, "statisticsdb.db");
        WriteEarlierRelease(file, """
            CREATE TABLE vacancies_seen (
                vacancy_id TEXT PRIMARY KEY, country TEXT NOT NULL, major_group TEXT NOT NULL, occupation TEXT NOT NULL,
                positions INTEGER NOT NULL, status TEXT NOT NULL, version INTEGER NOT NULL, posted TEXT NOT NULL, closed TEXT,
                foreign_eligible INTEGER NOT NULL, fee_free INTEGER NOT NULL, wage_min REAL, wage_max REAL, wage_currency TEXT, wage_period TEXT);
            CREATE INDEX vacancies_seen_by_country ON vacancies_seen (country, major_group, status);
            CREATE TABLE change_feed_position (feed TEXT PRIMARY KEY, position INTEGER NOT NULL);
            INSERT INTO vacancies_seen VALUES ('a', 'MEX', '7', '7112', 3, 'open', 1, '2026-01-05', NULL, 0, 1, NULL, NULL, NULL, NULL);
            INSERT INTO vacancies_seen VALUES ('b', 'MEX', '2', '2221', 2, 'open', 2, '2026-01-06', NULL, 1, 1, NULL, NULL, NULL, NULL);
            INSERT INTO vacancies_seen VALUES ('c', 'GTM', '6', '6111', 10, 'filled', 3, '2026-01-07', '2026-02-01', 0, 1, NULL, NULL, NULL, NULL);
            INSERT INTO change_feed_position VALUES ('vacancies', 42);
            """);

        var store = new SqliteVacancyFigureStore(SqliteDatabase.Create(file, SqliteVacancyFigureStore.Schema, SqliteVacancyFigureStore.Upgrade));

        Assert.Equal([new VacancyCount("MEX", "2", 1, 2), new VacancyCount("MEX", "7", 1, 3)], await store.CountOpenAsync(null, ct));
        Assert.Equal(3, await store.FactsAsync(null, ct).CountAsync(ct));
        Assert.Equal(42, await store.ReadChangeFeedPositionAsync(ct));
        Assert.Equal(["vacancy_facts_by_country"], Indexes(file));
    }

    [Fact]
    public async Task A_file_of_the_first_release_loses_its_counts_only_facts_and_is_rebuilt_from_the_change_feed()
    {
        var ct = TestContext.Current.CancellationToken;
        var file = Path.Combine(_directory.Path, "first.db");
        WriteEarlierRelease(file, """
            CREATE TABLE vacancy_facts (
                vacancy_id TEXT PRIMARY KEY, country TEXT NOT NULL, major_group TEXT NOT NULL, positions INTEGER NOT NULL,
                status TEXT NOT NULL, version INTEGER NOT NULL);
            CREATE INDEX vacancy_facts_by_country ON vacancy_facts (country, major_group, status);
            INSERT INTO vacancy_facts VALUES ('a', 'MEX', '7', 3, 'open', 1);
            """);

        var store = new SqliteVacancyFigureStore(SqliteDatabase.Create(file, SqliteVacancyFigureStore.Schema, SqliteVacancyFigureStore.Upgrade));

        Assert.Empty(await store.CountOpenAsync(null, ct));
        Assert.Equal(0, await store.ReadChangeFeedPositionAsync(ct));
    }

    [Fact]
    public async Task Opening_a_current_file_again_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var file = Path.Combine(_directory.Path, "current.db");
        var first = new SqliteVacancyFigureStore(SqliteDatabase.Create(file, SqliteVacancyFigureStore.Schema, SqliteVacancyFigureStore.Upgrade));
        await first.ApplyAsync([VacancyFigureStoreConformance.Snapshot(Guid.NewGuid(), "MEX", "7112", 3, 1)], ct);

        var again = new SqliteVacancyFigureStore(SqliteDatabase.Create(file, SqliteVacancyFigureStore.Schema, SqliteVacancyFigureStore.Upgrade));

        Assert.Equal([new VacancyCount("MEX", "7", 1, 3)], await again.CountOpenAsync(null, ct));
    }

    public void Dispose() => _directory.Dispose();

    private static void WriteEarlierRelease(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<string> Indexes(string file)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'vacancy_facts' AND sql IS NOT NULL ORDER BY name";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
