using Lmis.BuildingBlocks.Storage;
using Lmis.Testing;
using Microsoft.Data.Sqlite;

namespace Lmis.BuildingBlocks.Tests.Storage;

/// <summary>The writers of one SQLite file in one process take turns in the order they asked, never meeting SQLite's busy retry.</summary>
public sealed class SqliteWriterTurnTests : IDisposable
{
    private readonly TempDirectory _directory = new("writer-turns");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SqliteDatabase Database() =>
        SqliteDatabase.Create(Path.Combine(_directory.Path, "turns.db"), "CREATE TABLE IF NOT EXISTS log (writer TEXT NOT NULL);");

    [Fact]
    public async Task Writers_waiting_for_the_file_write_in_the_order_they_asked_even_through_another_instance_of_the_same_file()
    {
        var first = Database();
        var second = Database();
        var holding = await first.BeginWriteAsync(Ct);
        var waiting = new List<Task>();
        foreach (var (database, name) in "bcdefg".Select((name, i) => (i % 2 == 0 ? second : first, name.ToString())))
        {
            waiting.Add(Task.Run(async () =>
            {
                await using var writing = await database.BeginWriteAsync(Ct);
                await using var insert = writing.Connection.Command("INSERT INTO log (writer) VALUES ($w)", writing.Transaction).With("$w", name);
                await insert.ExecuteNonQueryAsync(Ct);
                await writing.CommitAsync(Ct);
            }, Ct));
            // Each asks only once the one before it is waiting.
            await Task.Delay(60, Ct);
        }

        // A turn held is a turn not given: nobody else has written, however long it is held.
        await Task.Delay(300, Ct);
        Assert.All(waiting, w => Assert.False(w.IsCompleted));
        await using (var insert = holding.Connection.Command("INSERT INTO log (writer) VALUES ('a')", holding.Transaction))
        {
            await insert.ExecuteNonQueryAsync(Ct);
        }

        await holding.CommitAsync(Ct);
        await holding.DisposeAsync();
        await Task.WhenAll(waiting);

        await using var connection = await first.OpenAsync(Ct);
        await using var read = connection.Command("SELECT group_concat(writer, '') FROM (SELECT writer FROM log ORDER BY rowid)");
        // Left to SQLite's busy retry, whichever waiter's 150 ms sleep ended first would have written next.
        Assert.Equal("abcdefg", await read.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task A_write_left_uncommitted_gives_its_turn_back_and_writes_nothing()
    {
        var database = Database();
        await using (var abandoned = await database.BeginWriteAsync(Ct))
        {
            await using var insert = abandoned.Connection.Command("INSERT INTO log (writer) VALUES ('lost')", abandoned.Transaction);
            await insert.ExecuteNonQueryAsync(Ct);
        }

        await using var next = await database.BeginWriteAsync(Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await using var count = next.Connection.Command("SELECT count(*) FROM log", next.Transaction);
        Assert.Equal(0L, await count.ExecuteScalarAsync(Ct));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}
