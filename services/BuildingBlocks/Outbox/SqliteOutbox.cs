using System.Globalization;
using Lmis.BuildingBlocks.Storage;
using Lmis.Contracts.Events;
using Microsoft.Data.Sqlite;

namespace Lmis.BuildingBlocks.Outbox;

/// <summary>The outbox as a table in the service's own SQLite file.</summary>
public sealed class SqliteOutbox(SqliteDatabase database) : Outbox
{
    internal const string Schema = """
        CREATE TABLE IF NOT EXISTS outbox (
            sequence    INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id    TEXT NOT NULL UNIQUE,
            event_type  TEXT NOT NULL,
            payload     TEXT NOT NULL,
            occurred_at TEXT NOT NULL
        );
        """;

    /// <summary>Writes an event inside the caller's transaction: it commits or rolls back with the change.</summary>
    public static async Task EnqueueAsync(
        SqliteConnection connection, SqliteTransaction transaction, IIntegrationEvent integrationEvent, CancellationToken cancellationToken)
    {
        var message = OutboxMessage.From(integrationEvent);
        await connection.Command(
                "INSERT INTO outbox (event_id, event_type, payload, occurred_at) VALUES ($id, $type, $payload, $at)",
                transaction)
            .With("$id", message.EventId.ToString())
            .With("$type", message.EventType)
            .With("$payload", message.Payload)
            .With("$at", message.OccurredAt.ToString("O", CultureInfo.InvariantCulture))
            .ExecuteNonQueryAsync(cancellationToken);
    }

    public override async Task<IReadOnlyList<OutboxMessage>> ReadPendingAsync(int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var reader = await connection.Command(
                "SELECT event_id, event_type, payload, occurred_at FROM outbox ORDER BY sequence LIMIT $max")
            .With("$max", max)
            .ExecuteReaderAsync(cancellationToken);
        var messages = new List<OutboxMessage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            messages.Add(new OutboxMessage(
                Guid.Parse(reader.GetString(0)),
                reader.GetString(1),
                reader.GetString(2),
                DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture)));
        }

        return messages;
    }

    public override async Task MarkDispatchedAsync(IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken)
    {
        if (eventIds.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var id in eventIds)
        {
            await connection.Command("DELETE FROM outbox WHERE event_id = $id", transaction)
                .With("$id", id.ToString())
                .ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
