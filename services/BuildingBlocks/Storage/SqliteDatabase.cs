using System.Collections.Concurrent;
using Lmis.BuildingBlocks.Outbox;
using Microsoft.Data.Sqlite;

namespace Lmis.BuildingBlocks.Storage;

/// <summary>
/// One service's SQLite database file. <see cref="CreateSchema"/> puts the file in WAL mode, so readers do not wait
/// for writers, and creates its schema (idempotent DDL) and the outbox table: at start, from the service's store
/// (<see cref="IStoreSchema"/>), never while services are being registered.
/// </summary>
public sealed class SqliteDatabase
{
    // One writer's turn per file for the whole process, whichever SqliteDatabase instance opened it.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Writers = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _writer;
    private readonly string _connectionString;
    private readonly string _schema;
    private readonly Action<SqliteConnection, SqliteTransaction>? _upgrade;

    /// <param name="file">The database file, created when missing.</param>
    /// <param name="schema">Idempotent DDL: the service's tables and indexes.</param>
    /// <param name="upgrade">
    /// What turns an earlier release's file into this release's before <paramref name="schema"/> runs (a table
    /// renamed, say), in one transaction; it must do nothing to a file that is already current.
    /// </param>
    public SqliteDatabase(string file, string schema, Action<SqliteConnection, SqliteTransaction>? upgrade = null)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // Seconds a statement waits for another writer before it fails with "database is locked".
            DefaultTimeout = 30,
        }.ToString();
        (_schema, _upgrade) = (schema, upgrade);
        _writer = Writers.GetOrAdd(Path.GetFullPath(file), _ => new SemaphoreSlim(1, 1));
    }

    /// <summary>A database whose schema is created at once: for tests and tools that open a store themselves.</summary>
    public static SqliteDatabase Create(string file, string schema, Action<SqliteConnection, SqliteTransaction>? upgrade = null)
    {
        var database = new SqliteDatabase(file, schema, upgrade);
        database.CreateSchema();
        return database;
    }

    /// <summary>Brings the file up to this release's schema; changes nothing in a file that is already current.</summary>
    public void CreateSchema()
    {
        using var connection = Open();
        using (var mode = connection.Command("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"))
        {
            mode.ExecuteNonQuery();
        }

        if (_upgrade is not null)
        {
            using var transaction = connection.BeginTransaction();
            _upgrade(connection, transaction);
            transaction.Commit();
        }

        using var command = connection.Command(SqliteOutbox.Schema + _schema);
        command.ExecuteNonQuery();
        SqliteOutbox.AddTraceColumns(connection);
    }

    /// <summary>
    /// A write transaction (BEGIN IMMEDIATE) once it is this caller's turn: the writers of this process take turns in
    /// the order they asked. Left to SQLite's busy retry, a writer that finds the file locked sleeps 150 ms a try
    /// while the one holding it starts its next transaction at once: with two feeds being written, the outbox's
    /// dispatcher waited seconds to remove what it had published, and the statistics fell behind with every feed.
    /// Another process writing the same file is still met by the busy retry.
    /// </summary>
    public async Task<SqliteWrite> BeginWriteAsync(CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        SqliteConnection? connection = null;
        try
        {
            connection = await OpenAsync(cancellationToken);
            var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            return new SqliteWrite(connection, transaction, _writer);
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            _writer.Release();
            throw;
        }
    }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var tuning = connection.CreateCommand();
        // Per connection, and a host holds a few pooled connections per service: 16 MB keeps the upper levels of the
        // indexes of a million vacancies in memory; other pages come from the operating system's file cache. At
        // 64 MB each, the caches alone took most of the host's memory at a million vacancies.
        tuning.CommandText = "PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY;";
        await tuning.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }
}

/// <summary>A write transaction holding its file's writer turn until it is disposed (committed or not).</summary>
public sealed class SqliteWrite(SqliteConnection connection, SqliteTransaction transaction, SemaphoreSlim writer) : IAsyncDisposable
{
    private int _disposed;

    public SqliteConnection Connection => connection;

    public SqliteTransaction Transaction => transaction;

    public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            try
            {
                await transaction.DisposeAsync();
                await connection.DisposeAsync();
            }
            finally
            {
                writer.Release();
            }
        }
    }
}

public static class SqliteCommandExtensions
{
    public static SqliteCommand Command(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    /// <summary>The columns of a table (empty when there is no such table): what an upgrade looks at to know a file's release.</summary>
    public static HashSet<string> ColumnsOf(this SqliteConnection connection, string table, SqliteTransaction? transaction = null)
    {
        using var command = connection.Command("SELECT name FROM pragma_table_info($table)", transaction).With("$table", table);
        using var reader = command.ExecuteReader();
        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.Read())
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}
