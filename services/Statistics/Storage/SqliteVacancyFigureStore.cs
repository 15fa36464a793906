using Lmis.BuildingBlocks.Storage;
using Lmis.Contracts.Events;
using Microsoft.Data.Sqlite;

namespace Lmis.Statistics.Storage;

public sealed class SqliteVacancyFigureStore(SqliteDatabase database) : IVacancyFigureStore
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS vacancy_facts (
            vacancy_id  TEXT PRIMARY KEY,
            country     TEXT NOT NULL,
            major_group TEXT NOT NULL,
            positions   INTEGER NOT NULL,
            status      TEXT NOT NULL,
            version     INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS vacancy_facts_by_country ON vacancy_facts (country, major_group, status);
        """;

    public async Task<int> ApplyAsync(IReadOnlyList<VacancySnapshot> vacancies, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        // One statement, prepared once for the whole batch and bound anew for each vacancy.
        await using var upsert = connection.Command("""
                INSERT INTO vacancy_facts (vacancy_id, country, major_group, positions, status, version)
                VALUES ($id, $country, $major, $positions, $status, $version)
                ON CONFLICT (vacancy_id) DO UPDATE SET country = excluded.country, major_group = excluded.major_group,
                    positions = excluded.positions, status = excluded.status, version = excluded.version
                WHERE excluded.version > vacancy_facts.version
                """, transaction);
        var id = upsert.Parameters.Add("$id", SqliteType.Text);
        var country = upsert.Parameters.Add("$country", SqliteType.Text);
        var major = upsert.Parameters.Add("$major", SqliteType.Text);
        var positions = upsert.Parameters.Add("$positions", SqliteType.Integer);
        var status = upsert.Parameters.Add("$status", SqliteType.Text);
        var version = upsert.Parameters.Add("$version", SqliteType.Integer);
        var changed = 0;
        foreach (var vacancy in vacancies)
        {
            id.Value = vacancy.VacancyId.ToString();
            country.Value = vacancy.Country;
            major.Value = VacancyFigureRules.MajorGroup(vacancy.OccupationCode);
            positions.Value = vacancy.Positions;
            status.Value = vacancy.Status;
            version.Value = vacancy.Version;
            changed += await upsert.ExecuteNonQueryAsync(cancellationToken);
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
            .With("$open", VacancyFigureRules.Open)
            .With("$country", country);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new List<VacancyCount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(new VacancyCount(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3)));
        }

        return counts;
    }
}
