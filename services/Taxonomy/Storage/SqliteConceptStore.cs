using System.Globalization;
using System.Text.Json;
using Lmis.BuildingBlocks.Outbox;
using Lmis.BuildingBlocks.Storage;
using Lmis.Contracts.Events;
using Lmis.Taxonomy.Schemes;
using Microsoft.Data.Sqlite;

namespace Lmis.Taxonomy.Storage;

public sealed class SqliteConceptStore(SqliteDatabase database) : IConceptStore
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS scheme_versions (
            scheme        TEXT NOT NULL,
            version       INTEGER NOT NULL,
            concept_count INTEGER NOT NULL,
            released_at   TEXT NOT NULL,
            PRIMARY KEY (scheme, version)
        );
        CREATE TABLE IF NOT EXISTS concepts (
            scheme      TEXT NOT NULL,
            version     INTEGER NOT NULL,
            code        TEXT NOT NULL,
            parent_code TEXT NULL,
            level       INTEGER NOT NULL,
            labels      TEXT NOT NULL,
            PRIMARY KEY (scheme, version, code)
        );
        """;

    private readonly SqliteOutbox _outbox = new(database);

    public Outbox Outbox => _outbox;

    public async Task<SchemeVersion> ReleaseVersionAsync(
        string scheme,
        IReadOnlyList<Concept> concepts,
        Func<SchemeVersion, IIntegrationEvent> announce,
        DateTimeOffset releasedAt,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // BEGIN IMMEDIATE: two releases of one scheme cannot both read the same latest version number.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var latest = await connection.Command("SELECT COALESCE(MAX(version), 0) FROM scheme_versions WHERE scheme = $scheme", transaction)
            .With("$scheme", scheme)
            .ExecuteScalarAsync(cancellationToken);
        var released = new SchemeVersion(scheme, Convert.ToInt32(latest, CultureInfo.InvariantCulture) + 1, concepts.Count, releasedAt);

        await using (var insert = connection.Command(
            "INSERT INTO concepts (scheme, version, code, parent_code, level, labels) VALUES ($scheme, $version, $code, $parent, $level, $labels)",
            transaction))
        {
            var code = insert.Parameters.Add("$code", SqliteType.Text);
            var parent = insert.Parameters.Add("$parent", SqliteType.Text);
            var level = insert.Parameters.Add("$level", SqliteType.Integer);
            var labels = insert.Parameters.Add("$labels", SqliteType.Text);
            insert.With("$scheme", scheme).With("$version", released.Version);
            foreach (var concept in concepts)
            {
                code.Value = concept.Code;
                parent.Value = (object?)concept.ParentCode ?? DBNull.Value;
                level.Value = concept.Level;
                labels.Value = JsonSerializer.Serialize(concept.Labels);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await connection.Command(
                "INSERT INTO scheme_versions (scheme, version, concept_count, released_at) VALUES ($scheme, $version, $count, $at)",
                transaction)
            .With("$scheme", scheme)
            .With("$version", released.Version)
            .With("$count", released.ConceptCount)
            .With("$at", releasedAt.ToString("O", CultureInfo.InvariantCulture))
            .ExecuteNonQueryAsync(cancellationToken);
        await SqliteOutbox.EnqueueAsync(connection, transaction, announce(released), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _outbox.NotifyWritten();
        return released;
    }

    public async Task<SchemeVersion?> FindVersionAsync(string scheme, int? version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var command = version is null
            ? connection.Command("SELECT scheme, version, concept_count, released_at FROM scheme_versions WHERE scheme = $scheme ORDER BY version DESC LIMIT 1")
            : connection.Command("SELECT scheme, version, concept_count, released_at FROM scheme_versions WHERE scheme = $scheme AND version = $version")
                .With("$version", version.Value);
        await using (command)
        {
            await using var reader = await command.With("$scheme", scheme).ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? ReadVersion(reader) : null;
        }
    }

    public async Task<Concept?> FindConceptAsync(string scheme, int version, string code, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                "SELECT code, parent_code, level, labels FROM concepts WHERE scheme = $scheme AND version = $version AND code = $code")
            .With("$scheme", scheme)
            .With("$version", version)
            .With("$code", code);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new Concept(
            reader.GetString(0),
            reader.IsDBNull(1) ? null : reader.GetString(1),
            reader.GetInt32(2),
            JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(3)) ?? []);
    }

    public async Task<IReadOnlyList<SchemeVersion>> ListLatestVersionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("""
            SELECT v.scheme, v.version, v.concept_count, v.released_at FROM scheme_versions v
            WHERE v.version = (SELECT MAX(version) FROM scheme_versions WHERE scheme = v.scheme)
            ORDER BY v.scheme
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new List<SchemeVersion>();
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(ReadVersion(reader));
        }

        return versions;
    }

    private static SchemeVersion ReadVersion(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetInt32(1),
        reader.GetInt32(2),
        DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture));
}
