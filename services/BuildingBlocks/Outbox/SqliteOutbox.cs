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
            occurred_at TEXT NOT NULL,
            trace_parent TEXT,
            trace_state TEXT
        );
        """;

    /// <summary>
    /// An outbox table created before events kept their trace context has no trace columns yet: add them once
    /// (rows written before read as having no trace).
    /// </summary>
    internal static void AddTraceColumns(SqliteConnection connection)
    {
        foreach (var column in new[] { "trace_parent", "trace_state" })
        {
            using var exists = connection.Command("SELECT COUNT(*) FROM pragma_table_info('outbox') WHERE name = $name").With("$name", column);
            if (Convert.ToInt64(exists.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
            {
                using var alter = connection.Command($"ALTER TABLE outbox ADD COLUMN {column} TEXT");
                alter.ExecuteNonQuery();
            }
        }
    }

    /// <summary>Writes an event inside the caller's transaction: it commits or rolls back with the change.</summary>
    public static async Task EnqueueAsync(
        SqliteConnection connection, SqliteTransaction transaction, IIntegrationEvent integrationEvent, CancellationToken cancellationToken)
    {
        await using var writer = new Writer(connection, transaction);
        await writer.EnqueueAsync(integrationEvent, cancellationToken);
    }

    /// <summary>
    /// Writes many events inside one transaction with one prepared statement (a feed's batch writes hundreds).
    /// </summary>
    public sealed class Writer : IAsyncDisposable
    {
        private readonly SqliteCommand _insert;
        private readonly SqliteParameter _id;
        private readonly SqliteParameter _type;
        private readonly SqliteParameter _payload;
        private readonly SqliteParameter _at;
        private readonly SqliteParameter _traceParent;
        private readonly SqliteParameter _traceState;
        private readonly List<IIntegrationEvent> _enqueued = [];

        public Writer(SqliteConnection connection, SqliteTransaction transaction)
        {
            _insert = connection.Command(
                """
                INSERT INTO outbox (event_id, event_type, payload, occurred_at, trace_parent, trace_state)
                VALUES ($id, $type, $payload, $at, $traceParent, $traceState)
                """,
                transaction);
            _id = _insert.Parameters.Add("$id", SqliteType.Text);
            _type = _insert.Parameters.Add("$type", SqliteType.Text);
            _payload = _insert.Parameters.Add("$payload", SqliteType.Text);
            _at = _insert.Parameters.Add("$at", SqliteType.Text);
            _traceParent = _insert.Parameters.Add("$traceParent", SqliteType.Text);
            _traceState = _insert.Parameters.Add("$traceState", SqliteType.Text);
        }

        /// <summary>The events written so far, to hand to <see cref="Outbox.NotifyWritten(IReadOnlyCollection{IIntegrationEvent})"/> once committed.</summary>
        public IReadOnlyCollection<IIntegrationEvent> Enqueued => _enqueued;

        public async Task EnqueueAsync(IIntegrationEvent integrationEvent, CancellationToken cancellationToken)
        {
            var message = OutboxMessage.From(integrationEvent);
            _id.Value = message.EventId.ToString();
            _type.Value = message.EventType;
            _payload.Value = message.Payload;
            _at.Value = message.OccurredAt.ToString("O", CultureInfo.InvariantCulture);
            _traceParent.Value = (object?)message.TraceParent ?? DBNull.Value;
            _traceState.Value = (object?)message.TraceState ?? DBNull.Value;
            await _insert.ExecuteNonQueryAsync(cancellationToken);
            _enqueued.Add(integrationEvent);
        }

        public ValueTask DisposeAsync() => _insert.DisposeAsync();
    }

    public override async Task<IReadOnlyList<OutboxMessage>> ReadPendingAsync(int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var reader = await connection.Command(
                "SELECT event_id, event_type, payload, occurred_at, trace_parent, trace_state FROM outbox ORDER BY sequence LIMIT $max")
            .With("$max", max)
            .ExecuteReaderAsync(cancellationToken);
        var messages = new List<OutboxMessage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            messages.Add(new OutboxMessage(
                Guid.Parse(reader.GetString(0)),
                reader.GetString(1),
                reader.GetString(2),
                DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture))
            {
                TraceParent = reader.IsDBNull(4) ? null : reader.GetString(4),
                TraceState = reader.IsDBNull(5) ? null : reader.GetString(5),
            });
        }

        return messages;
    }

    public override async Task<OutboxBacklog> MeasureAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // The oldest by sequence is the first written; its occurred_at is when its change was made.
        await using var reader = await connection.Command(
                "SELECT COUNT(*), (SELECT occurred_at FROM outbox ORDER BY sequence LIMIT 1) FROM outbox")
            .ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new OutboxBacklog(
            reader.GetInt64(0),
            reader.IsDBNull(1) ? null : DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture));
    }

    public override async Task MarkDispatchedAsync(IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken)
    {
        if (eventIds.Count == 0)
        {
            return;
        }

        // One statement for the whole batch, in its turn: the dispatcher shares the single writer with the service's own writes.
        await using var writing = await database.BeginWriteAsync(cancellationToken);
        var ids = eventIds.Select(id => id.ToString()).ToArray();
        await using var command = writing.Connection.Command(
            $"DELETE FROM outbox WHERE event_id IN ({string.Join(", ", ids.Select((_, i) => $"$id{i}"))})", writing.Transaction);
        for (var i = 0; i < ids.Length; i++)
        {
            command.Parameters.AddWithValue($"$id{i}", ids[i]);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
        await writing.CommitAsync(cancellationToken);
    }
}
