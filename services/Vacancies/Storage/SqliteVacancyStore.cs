using System.Globalization;
using System.Text.Json;
using Lmis.BuildingBlocks.Outbox;
using Lmis.BuildingBlocks.Storage;
using Lmis.Vacancies.Publishing;
using Microsoft.Data.Sqlite;

namespace Lmis.Vacancies.Storage;

public sealed class SqliteVacancyStore(SqliteDatabase database) : IVacancyStore
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS vacancies (
            id           TEXT PRIMARY KEY,
            country      TEXT NOT NULL,
            source_id    TEXT NOT NULL,
            version      INTEGER NOT NULL,
            status       TEXT NOT NULL,
            fingerprint  TEXT NOT NULL,
            content      TEXT NOT NULL,
            published_at TEXT NOT NULL,
            updated_at   TEXT NOT NULL,
            UNIQUE (country, source_id)
        );
        """;

    private readonly SqliteOutbox _outbox = new(database);

    public Outbox Outbox => _outbox;

    public async Task<(Vacancy Vacancy, PublishOutcome Outcome)> UpsertAsync(
        string country, string sourceId, VacancyContent content, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var existing = await FindAsync(connection, transaction, country, sourceId, cancellationToken);
        var fingerprint = content.Fingerprint();
        if (existing is not null && existing.Value.Fingerprint == fingerprint)
        {
            return (existing.Value.Vacancy, PublishOutcome.Unchanged);
        }

        var (vacancy, outcome) = existing is { } previous
            ? (previous.Vacancy with { Version = previous.Vacancy.Version + 1, Content = content, UpdatedAt = now }, PublishOutcome.Updated)
            : (new Vacancy(Guid.NewGuid(), country, sourceId, 1, VacancyStatus.Open, content, now, now), PublishOutcome.Created);

        await connection.Command("""
                INSERT INTO vacancies (id, country, source_id, version, status, fingerprint, content, published_at, updated_at)
                VALUES ($id, $country, $source, $version, $status, $fingerprint, $content, $published, $updated)
                ON CONFLICT (id) DO UPDATE SET version = excluded.version, status = excluded.status,
                    fingerprint = excluded.fingerprint, content = excluded.content, updated_at = excluded.updated_at
                """, transaction)
            .With("$id", vacancy.Id.ToString())
            .With("$country", vacancy.Country)
            .With("$source", vacancy.SourceId)
            .With("$version", vacancy.Version)
            .With("$status", vacancy.Status)
            .With("$fingerprint", fingerprint)
            .With("$content", JsonSerializer.Serialize(vacancy.Content))
            .With("$published", vacancy.PublishedAt.ToString("O", CultureInfo.InvariantCulture))
            .With("$updated", vacancy.UpdatedAt.ToString("O", CultureInfo.InvariantCulture))
            .ExecuteNonQueryAsync(cancellationToken);
        await SqliteOutbox.EnqueueAsync(connection, transaction, vacancy.Announce(outcome), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _outbox.NotifyWritten();
        return (vacancy, outcome);
    }

    public async Task<Vacancy?> FindAsync(string country, string sourceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await FindAsync(connection, null, country, sourceId, cancellationToken))?.Vacancy;
    }

    private static async Task<(Vacancy Vacancy, string Fingerprint)?> FindAsync(
        SqliteConnection connection, SqliteTransaction? transaction, string country, string sourceId, CancellationToken cancellationToken)
    {
        await using var command = connection.Command("""
                SELECT id, version, status, fingerprint, content, published_at, updated_at
                FROM vacancies WHERE country = $country AND source_id = $source
                """, transaction)
            .With("$country", country)
            .With("$source", sourceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var vacancy = new Vacancy(
            Guid.Parse(reader.GetString(0)),
            country,
            sourceId,
            reader.GetInt32(1),
            reader.GetString(2),
            JsonSerializer.Deserialize<VacancyContent>(reader.GetString(4))
                ?? throw new InvalidDataException($"Vacancy {country}/{sourceId} has no content."),
            DateTimeOffset.Parse(reader.GetString(5), CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(reader.GetString(6), CultureInfo.InvariantCulture));
        return (vacancy, reader.GetString(3));
    }
}
