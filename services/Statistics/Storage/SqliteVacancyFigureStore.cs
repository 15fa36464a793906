using System.Globalization;
using System.Runtime.CompilerServices;
using Lmis.BuildingBlocks.Storage;
using Lmis.Contracts.Events;
using Microsoft.Data.Sqlite;

namespace Lmis.Statistics.Storage;

public sealed class SqliteVacancyFigureStore(SqliteDatabase database) : IVacancyFigureStore, IStoreSchema
{
    /// <summary>One row per vacancy, its latest version: <c>vacancy_facts</c>, as the MongoDB collection is named.</summary>
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS vacancy_facts (
            vacancy_id  TEXT PRIMARY KEY,
            country     TEXT NOT NULL,
            major_group TEXT NOT NULL,
            occupation  TEXT NOT NULL,
            positions   INTEGER NOT NULL,
            status      TEXT NOT NULL,
            version     INTEGER NOT NULL,
            posted      TEXT NOT NULL,
            closed      TEXT,
            foreign_eligible INTEGER NOT NULL,
            fee_free    INTEGER NOT NULL,
            wage_min    REAL,
            wage_max    REAL,
            wage_currency TEXT,
            wage_period TEXT
        );
        CREATE INDEX IF NOT EXISTS vacancy_facts_by_country ON vacancy_facts (country, major_group, status);
        CREATE TABLE IF NOT EXISTS change_feed_position (
            feed     TEXT PRIMARY KEY,
            position INTEGER NOT NULL
        );
        """;

    public void CreateSchema() => database.CreateSchema();

    private const string VacanciesFeed = "vacancies";

    /// <summary>
    /// Brings an earlier release's file up to <see cref="Schema"/>: the facts of the first release (counts only, in a
    /// <c>vacancy_facts</c> without occupations) are dropped, as a rebuild derives them again; the table later named
    /// <c>vacancies_seen</c> is renamed <c>vacancy_facts</c> with its rows.
    /// </summary>
    public static void Upgrade(SqliteConnection connection, SqliteTransaction transaction)
    {
        var facts = connection.ColumnsOf("vacancy_facts", transaction);
        if (facts.Count > 0 && !facts.Contains("occupation"))
        {
            using var drop = connection.Command("DROP TABLE vacancy_facts", transaction);
            drop.ExecuteNonQuery();
            facts.Clear();
        }

        if (facts.Count == 0 && connection.ColumnsOf("vacancies_seen", transaction).Count > 0)
        {
            using var rename = connection.Command(
                "ALTER TABLE vacancies_seen RENAME TO vacancy_facts; DROP INDEX IF EXISTS vacancies_seen_by_country;", transaction);
            rename.ExecuteNonQuery();
        }
    }

    public Task<int> ApplyAsync(IReadOnlyList<VacancySnapshot> vacancies, CancellationToken cancellationToken) =>
        ApplyAsync(vacancies, null, cancellationToken);

    public Task<int> ApplyFromChangeFeedAsync(IReadOnlyList<VacancySnapshot> vacancies, long position, CancellationToken cancellationToken) =>
        ApplyAsync(vacancies, position, cancellationToken);

    public async Task<long> ReadChangeFeedPositionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT position FROM change_feed_position WHERE feed = $feed").With("$feed", VacanciesFeed);
        return await select.ExecuteScalarAsync(cancellationToken) is long position ? position : 0;
    }

    private async Task<int> ApplyAsync(IReadOnlyList<VacancySnapshot> vacancies, long? position, CancellationToken cancellationToken)
    {
        await using var writing = await database.BeginWriteAsync(cancellationToken);
        var (connection, transaction) = (writing.Connection, writing.Transaction);
        // One statement, prepared once for the whole batch and bound anew for each vacancy.
        await using var upsert = connection.Command("""
                INSERT INTO vacancy_facts (vacancy_id, country, major_group, occupation, positions, status, version, posted, closed,
                    foreign_eligible, fee_free, wage_min, wage_max, wage_currency, wage_period)
                VALUES ($id, $country, $major, $occupation, $positions, $status, $version, $posted, $closed,
                    $foreign, $feeFree, $wageMin, $wageMax, $currency, $period)
                ON CONFLICT (vacancy_id) DO UPDATE SET country = excluded.country, major_group = excluded.major_group,
                    occupation = excluded.occupation, positions = excluded.positions, status = excluded.status,
                    version = excluded.version, posted = excluded.posted, closed = excluded.closed,
                    foreign_eligible = excluded.foreign_eligible, fee_free = excluded.fee_free, wage_min = excluded.wage_min,
                    wage_max = excluded.wage_max, wage_currency = excluded.wage_currency, wage_period = excluded.wage_period
                WHERE excluded.version > vacancy_facts.version
                """, transaction);
        var id = upsert.Parameters.Add("$id", SqliteType.Text);
        var country = upsert.Parameters.Add("$country", SqliteType.Text);
        var major = upsert.Parameters.Add("$major", SqliteType.Text);
        var positions = upsert.Parameters.Add("$positions", SqliteType.Integer);
        var status = upsert.Parameters.Add("$status", SqliteType.Text);
        var version = upsert.Parameters.Add("$version", SqliteType.Integer);
        var occupation = upsert.Parameters.Add("$occupation", SqliteType.Text);
        var posted = upsert.Parameters.Add("$posted", SqliteType.Text);
        var closed = upsert.Parameters.Add("$closed", SqliteType.Text);
        var foreign = upsert.Parameters.Add("$foreign", SqliteType.Integer);
        var feeFree = upsert.Parameters.Add("$feeFree", SqliteType.Integer);
        var wageMin = upsert.Parameters.Add("$wageMin", SqliteType.Real);
        var wageMax = upsert.Parameters.Add("$wageMax", SqliteType.Real);
        var currency = upsert.Parameters.Add("$currency", SqliteType.Text);
        var period = upsert.Parameters.Add("$period", SqliteType.Text);
        var changed = 0;
        foreach (var vacancy in vacancies)
        {
            var fact = VacancyFact.Of(vacancy);
            id.Value = vacancy.VacancyId.ToString();
            country.Value = vacancy.Country;
            major.Value = VacancyFigureRules.MajorGroup(vacancy.OccupationCode);
            positions.Value = vacancy.Positions;
            status.Value = vacancy.Status;
            version.Value = vacancy.Version;
            occupation.Value = fact.OccupationCode;
            posted.Value = Day(fact.Posted);
            closed.Value = fact.Closed is { } day ? Day(day) : DBNull.Value;
            foreign.Value = fact.ForeignWorkersEligible ? 1 : 0;
            feeFree.Value = fact.FeeFree ? 1 : 0;
            wageMin.Value = fact.WageMin is { } min ? (double)min : DBNull.Value;
            wageMax.Value = fact.WageMax is { } max ? (double)max : DBNull.Value;
            currency.Value = (object?)fact.WageCurrency ?? DBNull.Value;
            period.Value = (object?)fact.WagePeriod ?? DBNull.Value;
            changed += await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        if (position is { } read)
        {
            await using var keep = connection.Command("""
                    INSERT INTO change_feed_position (feed, position) VALUES ($feed, $position)
                    ON CONFLICT (feed) DO UPDATE SET position = excluded.position
                    """, transaction)
                .With("$feed", VacanciesFeed)
                .With("$position", read);
            await keep.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    public async Task<IReadOnlyList<VacancyCount>> CountOpenAsync(string? country, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("""
                SELECT country, major_group, COUNT(*), SUM(positions) FROM vacancy_facts
                WHERE status = $open AND ($country IS NULL OR country = $country)
                GROUP BY country, major_group ORDER BY country, major_group
                """)
            .With("$open", VacancyStatus.Open)
            .With("$country", country);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new List<VacancyCount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(new VacancyCount(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3)));
        }

        return counts;
    }

    public async IAsyncEnumerable<VacancyFact> FactsAsync(string? country, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("""
                SELECT country, occupation, positions, status, posted, closed, foreign_eligible, fee_free, wage_min, wage_max, wage_currency, wage_period
                FROM vacancy_facts WHERE $country IS NULL OR country = $country
                """).With("$country", country);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new VacancyFact(
                reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3),
                DateOnly.ParseExact(reader.GetString(4), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                reader.IsDBNull(5) ? null : DateOnly.ParseExact(reader.GetString(5), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                reader.GetInt32(6) == 1, reader.GetInt32(7) == 1,
                reader.IsDBNull(8) ? null : (decimal)reader.GetDouble(8), reader.IsDBNull(9) ? null : (decimal)reader.GetDouble(9),
                reader.IsDBNull(10) ? null : reader.GetString(10), reader.IsDBNull(11) ? null : reader.GetString(11));
        }
    }

    public async Task ClearAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var delete = connection.Command("DELETE FROM vacancy_facts; DELETE FROM change_feed_position;");
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
