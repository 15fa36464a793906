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
