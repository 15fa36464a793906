using System.Diagnostics;
using Lmis.BuildingBlocks.Outbox;
using Lmis.BuildingBlocks.Storage;
using Lmis.Testing;
using Microsoft.Data.Sqlite;

namespace Lmis.BuildingBlocks.Tests.Outbox;

/// <summary>
/// Each outbox row keeps the W3C trace context of the call that wrote it, so the dispatcher can publish the event
/// within that call's trace; an outbox file from before gains the columns on first open.
/// </summary>
public sealed class OutboxTraceContextTests : IDisposable
{
    private readonly TempDirectory _data = new("outbox-trace");

    private string File => Path.Combine(_data.Path, "service.db");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task An_event_written_in_a_call_is_read_back_with_that_calls_traceparent_and_tracestate()
    {
        var outbox = new SqliteOutbox(SqliteDatabase.Create(File, string.Empty));
        using var call = new Activity("publish vacancy").SetIdFormat(ActivityIdFormat.W3C).Start();
        call.TraceStateString = "lmis=gateway";
        await OutboxEvents.WriteAsync(SqliteDatabase.Create(File, string.Empty), OutboxEvents.Released(DateTimeOffset.UtcNow));
        call.Stop();

        var message = Assert.Single(await outbox.ReadPendingAsync(10, TestContext.Current.CancellationToken));

        Assert.Equal((call.Id, "lmis=gateway"), (message.TraceParent, message.TraceState));
        Assert.Equal((call.TraceId, call.SpanId), (message.TraceContext?.TraceId, message.TraceContext?.SpanId));
    }

    [Fact]
    public async Task An_outbox_created_before_trace_columns_gains_them_and_its_old_rows_read_as_without_trace()
    {
        using (var connection = new SqliteConnection($"Data Source={File}"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = """
                CREATE TABLE outbox (sequence INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE,
                    event_type TEXT NOT NULL, payload TEXT NOT NULL, occurred_at TEXT NOT NULL);
                INSERT INTO outbox (event_id, event_type, payload, occurred_at) VALUES
                    ('6f1c1f7e-0c1d-4d55-9a43-3f0f5a6f0b11', 'TaxonomyVersionReleased', '{}', '2026-11-01T00:00:00.0000000+00:00');
                """;
            create.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        var database = SqliteDatabase.Create(File, string.Empty);
        using var call = new Activity("release").SetIdFormat(ActivityIdFormat.W3C).Start();
        await OutboxEvents.WriteAsync(database, OutboxEvents.Released(DateTimeOffset.UtcNow));
        call.Stop();

        var pending = await new SqliteOutbox(database).ReadPendingAsync(10, TestContext.Current.CancellationToken);

        Assert.Equal(2, pending.Count);
        Assert.Null(pending[0].TraceParent);
        Assert.Null(pending[0].TraceContext);
        Assert.Equal(call.Id, pending[1].TraceParent);
    }
}
