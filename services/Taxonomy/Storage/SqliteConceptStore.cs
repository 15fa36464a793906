using System.Globalization;
using Lmis.BuildingBlocks.Outbox;
using Lmis.BuildingBlocks.Storage;
using Lmis.Contracts.Events;
using Lmis.Taxonomy.Schemes;
using Microsoft.Data.Sqlite;

namespace Lmis.Taxonomy.Storage;

public sealed class SqliteConceptStore(SqliteDatabase database) : IConceptStore, IStoreSchema
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
            status      TEXT NOT NULL,
            replaced_by TEXT NULL,
            labels      TEXT NOT NULL,
            attributes  TEXT NOT NULL,
            PRIMARY KEY (scheme, version, code)
        );
        CREATE TABLE IF NOT EXISTS concept_relations (
            scheme        TEXT NOT NULL,
            version       INTEGER NOT NULL,
            code          TEXT NOT NULL,
            relation      TEXT NOT NULL,
            target_scheme TEXT NOT NULL,
            target_code   TEXT NOT NULL,
            PRIMARY KEY (scheme, version, code, relation, target_scheme, target_code)
        );
        """;

    public void CreateSchema() => database.CreateSchema();

    private const string VersionColumns = "scheme, version, concept_count, released_at";
    private readonly SqliteOutbox _outbox = new(database);

    public Outbox Outbox => _outbox;

    public async Task<SchemeVersion> ReleaseVersionAsync(
        SchemeVersionContent content,
        int expectedLatest,
        Func<SchemeVersion, IIntegrationEvent> announce,
        DateTimeOffset releasedAt,
        CancellationToken cancellationToken)
    {
        // BEGIN IMMEDIATE: two releases of one scheme cannot both read the same latest version number.
        await using var writing = await database.BeginWriteAsync(cancellationToken);
        var (connection, transaction) = (writing.Connection, writing.Transaction);
        var latest = Convert.ToInt32(
            await connection.Command("SELECT COALESCE(MAX(version), 0) FROM scheme_versions WHERE scheme = $scheme", transaction)
                .With("$scheme", content.Scheme)
                .ExecuteScalarAsync(cancellationToken),
            CultureInfo.InvariantCulture);
        if (latest != expectedLatest)
        {
            throw new ConcurrentReleaseException(content.Scheme, expectedLatest, latest);
        }

        var released = new SchemeVersion(content.Scheme, latest + 1, content.Concepts.Count, releasedAt);
        await using (var insert = connection.Command(
            """
            INSERT INTO concepts (scheme, version, code, parent_code, level, status, replaced_by, labels, attributes)
            VALUES ($scheme, $version, $code, $parent, $level, $status, $replaced, $labels, $attributes)
            """,
            transaction))
        {
            insert.With("$scheme", content.Scheme).With("$version", released.Version);
            var code = insert.Parameters.Add("$code", SqliteType.Text);
            var parent = insert.Parameters.Add("$parent", SqliteType.Text);
            var level = insert.Parameters.Add("$level", SqliteType.Integer);
            var status = insert.Parameters.Add("$status", SqliteType.Text);
            var replaced = insert.Parameters.Add("$replaced", SqliteType.Text);
            var labels = insert.Parameters.Add("$labels", SqliteType.Text);
            var attributes = insert.Parameters.Add("$attributes", SqliteType.Text);
            foreach (var concept in content.Concepts)
            {
                code.Value = concept.Code;
                parent.Value = (object?)concept.ParentCode ?? DBNull.Value;
                level.Value = concept.Level;
                status.Value = ConceptRows.Status(concept.Status);
                replaced.Value = (object?)concept.ReplacedBy ?? DBNull.Value;
                labels.Value = ConceptRows.Labels(concept);
                attributes.Value = ConceptRows.Attributes(concept);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await using (var insert = connection.Command(
            """
            INSERT OR IGNORE INTO concept_relations (scheme, version, code, relation, target_scheme, target_code)
            VALUES ($scheme, $version, $code, $relation, $targetScheme, $targetCode)
            """,
            transaction))
        {
            insert.With("$scheme", content.Scheme).With("$version", released.Version);
            var code = insert.Parameters.Add("$code", SqliteType.Text);
            var relation = insert.Parameters.Add("$relation", SqliteType.Text);
            var targetScheme = insert.Parameters.Add("$targetScheme", SqliteType.Text);
            var targetCode = insert.Parameters.Add("$targetCode", SqliteType.Text);
            foreach (var link in content.Relations)
            {
                code.Value = link.Code;
                relation.Value = RelationTypes.Name(link.Type);
                targetScheme.Value = link.TargetScheme;
                targetCode.Value = link.TargetCode;
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await connection.Command(
                $"INSERT INTO scheme_versions ({VersionColumns}) VALUES ($scheme, $version, $count, $at)",
                transaction)
            .With("$scheme", released.Scheme)
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
        var versions = await ReadVersionsAsync(
            version is null
                ? $"SELECT {VersionColumns} FROM scheme_versions WHERE scheme = $scheme ORDER BY version DESC LIMIT 1"
                : $"SELECT {VersionColumns} FROM scheme_versions WHERE scheme = $scheme AND version = $version",
            command => command.With("$scheme", scheme).With("$version", version),
            cancellationToken);
        return versions.Count > 0 ? versions[0] : null;
    }

    public Task<IReadOnlyList<SchemeVersion>> ListVersionsAsync(string scheme, CancellationToken cancellationToken) =>
        ReadVersionsAsync(
            $"SELECT {VersionColumns} FROM scheme_versions WHERE scheme = $scheme ORDER BY version",
            command => command.With("$scheme", scheme),
            cancellationToken);

    public Task<IReadOnlyList<SchemeVersion>> ListLatestVersionsAsync(CancellationToken cancellationToken) =>
        ReadVersionsAsync(
            $"""
            SELECT {VersionColumns} FROM scheme_versions v
            WHERE v.version = (SELECT MAX(version) FROM scheme_versions WHERE scheme = v.scheme)
            ORDER BY v.scheme
            """,
            _ => { },
            cancellationToken);

    public async Task<SchemeVersionContent?> LoadVersionAsync(string scheme, int version, CancellationToken cancellationToken)
    {
        if (await FindVersionAsync(scheme, version, cancellationToken) is null)
        {
            return null;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var concepts = new List<Concept>();
        await using (var command = connection.Command(
                "SELECT code, parent_code, level, status, replaced_by, labels, attributes FROM concepts WHERE scheme = $scheme AND version = $version ORDER BY code")
            .With("$scheme", scheme).With("$version", version))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                concepts.Add(ConceptRows.Read(
                    reader.GetString(0),
                    reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.GetInt32(2),
                    reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.GetString(5),
                    reader.GetString(6)));
            }
        }

        var relations = new List<ConceptRelation>();
        await using (var command = connection.Command(
                "SELECT code, relation, target_scheme, target_code FROM concept_relations WHERE scheme = $scheme AND version = $version ORDER BY code, relation, target_scheme, target_code")
            .With("$scheme", scheme).With("$version", version))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                relations.Add(new ConceptRelation(
                    reader.GetString(0), RelationTypes.Parse(reader.GetString(1))!.Value, reader.GetString(2), reader.GetString(3)));
            }
        }

        return new SchemeVersionContent(scheme, concepts, relations);
    }

    private async Task<IReadOnlyList<SchemeVersion>> ReadVersionsAsync(
        string sql, Action<SqliteCommand> parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(sql);
        parameters(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var versions = new List<SchemeVersion>();
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(new SchemeVersion(
                reader.GetString(0),
                reader.GetInt32(1),
                reader.GetInt32(2),
                DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture)));
        }

        return versions;
    }
}
