using System.Globalization;
using Lmis.BuildingBlocks.Storage;
using Microsoft.Data.Sqlite;

namespace Lmis.BuildingBlocks.Audit;

public sealed class SqliteAuditTrail(SqliteDatabase database) : AuditTrail, IStoreSchema
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS audit_trail (
            position       INTEGER PRIMARY KEY AUTOINCREMENT,
            id             TEXT NOT NULL UNIQUE,
            at             TEXT NOT NULL,
            service        TEXT NOT NULL,
            action         TEXT NOT NULL,
            subject        TEXT NOT NULL,
            credential     TEXT NOT NULL,
            role           TEXT NOT NULL,
            country        TEXT,
            client_address TEXT,
            outcome        TEXT NOT NULL,
            summary        TEXT,
            call_id        TEXT
        );
        CREATE INDEX IF NOT EXISTS audit_trail_by_country ON audit_trail (country, position);
        CREATE TRIGGER IF NOT EXISTS audit_trail_no_update BEFORE UPDATE ON audit_trail
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        CREATE TRIGGER IF NOT EXISTS audit_trail_no_delete BEFORE DELETE ON audit_trail
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        """;

    public void CreateSchema()
    {
        database.CreateSchema();
        AddCallColumn(database);
    }

    public override async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var insert = connection.Command("""
            INSERT INTO audit_trail (id, at, service, action, subject, credential, role, country, client_address, outcome, summary, call_id)
            VALUES ($id, $at, $service, $action, $subject, $credential, $role, $country, $address, $outcome, $summary, $call)
            """)
            .With("$id", entry.Id.ToString())
            .With("$at", entry.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture))
            .With("$service", entry.Service)
            .With("$action", entry.Action)
            .With("$subject", entry.Subject)
            .With("$credential", entry.Credential)
            .With("$role", entry.Role)
            .With("$country", entry.Country)
            .With("$address", entry.ClientAddress)
            .With("$outcome", entry.Outcome)
            .With("$summary", entry.Summary)
            .With("$call", entry.Call.ToString());
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    public override async Task<(IReadOnlyList<AuditEntry> Entries, long? Next)> ReadAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command("""
            SELECT position, id, at, service, action, subject, credential, role, country, client_address, outcome, summary, call_id
            FROM audit_trail
            WHERE ($after IS NULL OR position < $after)
              AND ($country IS NULL OR country = $country)
              AND ($subject IS NULL OR subject = $subject)
              AND ($since IS NULL OR at >= $since)
            ORDER BY position DESC
            LIMIT $limit
            """)
            .With("$after", query.After)
            .With("$country", query.Country)
            .With("$subject", query.Subject)
            .With("$since", query.Since?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture))
            .With("$limit", query.Limit + 1);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var entries = new List<AuditEntry>();
        long? next = null;
        long last = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (entries.Count == query.Limit)
            {
                // One more than asked for exists: the next page starts below the last one returned.
                next = last;
                break;
            }

            last = reader.GetInt64(0);
            entries.Add(new AuditEntry(
                Guid.Parse(reader.GetString(1)),
                DateTimeOffset.Parse(reader.GetString(2), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.GetString(10),
                reader.IsDBNull(11) ? null : reader.GetString(11))
            {
                // Entries written before calls had two entries each are their own call.
                Call = reader.IsDBNull(12) ? Guid.Parse(reader.GetString(1)) : Guid.Parse(reader.GetString(12)),
            });
        }

        return (entries, next);
    }

    /// <summary>A trail created before each write had a STARTED entry has no call column yet: add it once.</summary>
    private static void AddCallColumn(SqliteDatabase database)
    {
        using var connection = database.Open();
        using var columns = connection.Command("SELECT COUNT(*) FROM pragma_table_info('audit_trail') WHERE name = 'call_id'");
        if (Convert.ToInt64(columns.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
        {
            using var alter = connection.Command("ALTER TABLE audit_trail ADD COLUMN call_id TEXT");
            alter.ExecuteNonQuery();
        }
    }
}
