using System.Globalization;
using Lmis.Access.Keys;
using Lmis.BuildingBlocks.Storage;
using Microsoft.Data.Sqlite;

namespace Lmis.Access.Storage;

public sealed class SqliteApiKeyStore(SqliteDatabase database) : IApiKeyStore, IStoreSchema
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS api_keys (
            id           TEXT PRIMARY KEY,
            name         TEXT NOT NULL,
            role         TEXT NOT NULL,
            country      TEXT,
            secret_hash  TEXT NOT NULL UNIQUE,
            created_at   TEXT NOT NULL,
            created_by   TEXT NOT NULL,
            revoked_at   TEXT,
            revoked_by   TEXT,
            rotated_from TEXT
        );
        """;

    public void CreateSchema() => database.CreateSchema();

    private const string Columns = "id, name, role, country, secret_hash, created_at, created_by, revoked_at, revoked_by, rotated_from";

    public Task<ApiKeyRecord?> FindByHashAsync(string secretHash, CancellationToken cancellationToken) =>
        FindOneAsync("secret_hash", secretHash, cancellationToken);

    public Task<ApiKeyRecord?> FindAsync(string id, CancellationToken cancellationToken) =>
        FindOneAsync("id", id, cancellationToken);

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(string? country, bool includeRevoked, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command($"""
            SELECT {Columns} FROM api_keys
            WHERE ($country IS NULL OR country = $country) AND ($all = 1 OR revoked_at IS NULL)
            ORDER BY created_at, id
            """).With("$country", country).With("$all", includeRevoked ? 1 : 0);
        return await ReadAllAsync(select, cancellationToken);
    }

    public async Task<bool> AnyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT EXISTS (SELECT 1 FROM api_keys)");
        return Convert.ToInt64(await select.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 1;
    }

    public async Task AddAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await InsertAsync(connection, null, key, cancellationToken);
    }

    public async Task<ApiKeyRecord?> RevokeAsync(string id, DateTimeOffset at, string by, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var update = connection.Command("UPDATE api_keys SET revoked_at = $at, revoked_by = $by WHERE id = $id AND revoked_at IS NULL")
            .With("$id", id).With("$at", Time(at)).With("$by", by);
        await update.ExecuteNonQueryAsync(cancellationToken);
        return await FindOneAsync("id", id, cancellationToken);
    }

    public async Task<bool> RotateAsync(string oldId, ApiKeyRecord replacement, CancellationToken cancellationToken)
    {
        await using var writing = await database.BeginWriteAsync(cancellationToken);
        var (connection, transaction) = (writing.Connection, writing.Transaction);
        await using var update = connection.Command("UPDATE api_keys SET revoked_at = $at, revoked_by = $by WHERE id = $id AND revoked_at IS NULL", transaction)
            .With("$id", oldId).With("$at", Time(replacement.CreatedAt)).With("$by", replacement.CreatedBy);
        if (await update.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            return false;
        }

        await InsertAsync(connection, transaction, replacement, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private async Task<ApiKeyRecord?> FindOneAsync(string column, string value, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command($"SELECT {Columns} FROM api_keys WHERE {column} = $value").With("$value", value);
        return (await ReadAllAsync(select, cancellationToken)).SingleOrDefault();
    }

    private static async Task InsertAsync(SqliteConnection connection, SqliteTransaction? transaction, ApiKeyRecord key, CancellationToken cancellationToken)
    {
        await using var insert = connection.Command($"""
            INSERT INTO api_keys ({Columns})
            VALUES ($id, $name, $role, $country, $hash, $created_at, $created_by, NULL, NULL, $rotated_from)
            """, transaction)
            .With("$id", key.Id).With("$name", key.Name).With("$role", key.Role).With("$country", key.Country)
            .With("$hash", key.SecretHash).With("$created_at", Time(key.CreatedAt)).With("$created_by", key.CreatedBy)
            .With("$rotated_from", key.RotatedFrom);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<IReadOnlyList<ApiKeyRecord>> ReadAllAsync(SqliteCommand select, CancellationToken cancellationToken)
    {
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKeyRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new ApiKeyRecord(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4), Parse(reader.GetString(5)), reader.GetString(6),
                reader.IsDBNull(7) ? null : Parse(reader.GetString(7)), reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9)));
        }

        return keys;
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string at) => DateTimeOffset.Parse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
