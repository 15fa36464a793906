using Lmis.BuildingBlocks.Outbox;
using Lmis.BuildingBlocks.Storage;
using Lmis.Contracts.Events;
using Lmis.Taxonomy.Schemes;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Lmis.Taxonomy.Storage;

/// <summary>
/// Scheme versions on MongoDB without multi-document transactions: a release first claims its version number
/// with a <c>pending</c> header (unique id), then writes the concepts and relations, then flips the header to
/// <c>released</c> together with its event in one single-document update. Readers only see released headers.
/// </summary>
public sealed class MongoConceptStore : IConceptStore, IStoreSchema
{
    private const string Versions = "scheme_versions";
    private const string Released = "released";

    /// <summary>A pending release older than this died half-way; its number is skipped.</summary>
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(10);
    private readonly IMongoCollection<BsonDocument> _versions;
    private readonly IMongoCollection<BsonDocument> _concepts;
    private readonly IMongoCollection<BsonDocument> _relations;

    public MongoConceptStore(IMongoDatabase database)
    {
        _versions = database.GetCollection<BsonDocument>(Versions);
        _concepts = database.GetCollection<BsonDocument>("concepts");
        _relations = database.GetCollection<BsonDocument>("concept_relations");
        Outbox = new MongoOutbox(database, Versions);
    }

    public void CreateSchema()
    {
        _concepts.Indexes.CreateOne(new CreateIndexModel<BsonDocument>(
            Builders<BsonDocument>.IndexKeys.Ascending("scheme").Ascending("version").Ascending("code"),
            new CreateIndexOptions { Unique = true }));
        _relations.Indexes.CreateOne(new CreateIndexModel<BsonDocument>(
            Builders<BsonDocument>.IndexKeys.Ascending("scheme").Ascending("version")));
        _versions.Indexes.CreateOne(new CreateIndexModel<BsonDocument>(
            Builders<BsonDocument>.IndexKeys.Ascending("scheme").Descending("version")));
    }

    public Outbox Outbox { get; }

    public async Task<SchemeVersion> ReleaseVersionAsync(
        SchemeVersionContent content,
        int expectedLatest,
        Func<SchemeVersion, IIntegrationEvent> announce,
        DateTimeOffset releasedAt,
        CancellationToken cancellationToken)
    {
        var version = await ClaimVersionAsync(content.Scheme, expectedLatest + 1, cancellationToken);
        var released = new SchemeVersion(content.Scheme, version, content.Concepts.Count, releasedAt);
        if (content.Concepts.Count > 0)
        {
            await _concepts.InsertManyAsync(
                content.Concepts.Select(c => new BsonDocument
                {
                    ["scheme"] = content.Scheme,
                    ["version"] = version,
                    ["code"] = c.Code,
                    ["parent"] = (BsonValue?)c.ParentCode ?? BsonNull.Value,
                    ["level"] = c.Level,
                    ["status"] = ConceptRows.Status(c.Status),
                    ["replacedBy"] = (BsonValue?)c.ReplacedBy ?? BsonNull.Value,
                    ["labels"] = ConceptRows.Labels(c),
                    ["attributes"] = ConceptRows.Attributes(c),
                }),
                new InsertManyOptions { IsOrdered = false },
                cancellationToken);
        }

        if (content.Relations.Count > 0)
        {
            await _relations.InsertManyAsync(
                content.Relations.Select(r => new BsonDocument
                {
                    ["scheme"] = content.Scheme,
                    ["version"] = version,
                    ["code"] = r.Code,
                    ["relation"] = RelationTypes.Name(r.Type),
                    ["targetScheme"] = r.TargetScheme,
                    ["targetCode"] = r.TargetCode,
                }),
                new InsertManyOptions { IsOrdered = false },
                cancellationToken);
        }

        var release = Builders<BsonDocument>.Update.Combine(
            Builders<BsonDocument>.Update
                .Set("state", Released)
                .Set("conceptCount", content.Concepts.Count)
                .Set("releasedAt", releasedAt.UtcDateTime),
            MongoOutbox.Push(announce(released)));
        await _versions.UpdateOneAsync(
            Builders<BsonDocument>.Filter.Eq("_id", $"{content.Scheme}|{version}"), release, cancellationToken: cancellationToken);
        Outbox.NotifyWritten();
        return released;
    }

    public async Task<SchemeVersion?> FindVersionAsync(string scheme, int? version, CancellationToken cancellationToken)
    {
        var filter = ReleasedOf(scheme);
        if (version is not null)
        {
            filter &= Builders<BsonDocument>.Filter.Eq("version", version.Value);
        }

        var header = await _versions.Find(filter).SortByDescending(d => d["version"]).Limit(1).FirstOrDefaultAsync(cancellationToken);
        return header is null ? null : ReadVersion(header);
    }

    public async Task<IReadOnlyList<SchemeVersion>> ListVersionsAsync(string scheme, CancellationToken cancellationToken)
    {
        var headers = await _versions.Find(ReleasedOf(scheme)).SortBy(d => d["version"]).ToListAsync(cancellationToken);
        return headers.Select(ReadVersion).ToArray();
    }

    public async Task<IReadOnlyList<SchemeVersion>> ListLatestVersionsAsync(CancellationToken cancellationToken)
    {
        var headers = await _versions.Find(Builders<BsonDocument>.Filter.Eq("state", Released)).ToListAsync(cancellationToken);
        return headers.Select(ReadVersion)
            .GroupBy(v => v.Scheme)
            .Select(g => g.MaxBy(v => v.Version)!)
            .OrderBy(v => v.Scheme, StringComparer.Ordinal)
            .ToArray();
    }

    public async Task<SchemeVersionContent?> LoadVersionAsync(string scheme, int version, CancellationToken cancellationToken)
    {
        if (await FindVersionAsync(scheme, version, cancellationToken) is null)
        {
            return null;
        }

        var of = Builders<BsonDocument>.Filter.Eq("scheme", scheme) & Builders<BsonDocument>.Filter.Eq("version", version);
        var concepts = await _concepts.Find(of).SortBy(d => d["code"]).ToListAsync(cancellationToken);
        var relations = await _relations.Find(of).ToListAsync(cancellationToken);
        return new SchemeVersionContent(
            scheme,
            concepts.Select(d => ConceptRows.Read(
                d["code"].AsString,
                d["parent"].IsBsonNull ? null : d["parent"].AsString,
                d["level"].AsInt32,
                d["status"].AsString,
                d["replacedBy"].IsBsonNull ? null : d["replacedBy"].AsString,
                d["labels"].AsString,
                d["attributes"].AsString)).ToArray(),
            relations.Select(d => new ConceptRelation(
                d["code"].AsString,
                RelationTypes.Parse(d["relation"].AsString)!.Value,
                d["targetScheme"].AsString,
                d["targetCode"].AsString))
                .OrderBy(r => (r.Code, RelationTypes.Name(r.Type), r.TargetScheme, r.TargetCode))
                .ToArray());
    }

    /// <summary>
    /// Claims the version number with a pending header. A taken number means another release of the scheme came
    /// first; a pending header left by a release that died half-way is skipped, never shown.
    /// </summary>
    private async Task<int> ClaimVersionAsync(string scheme, int expected, CancellationToken cancellationToken)
    {
        var latestReleased = (await FindVersionAsync(scheme, null, cancellationToken))?.Version ?? 0;
        if (latestReleased != expected - 1)
        {
            throw new ConcurrentReleaseException(scheme, expected - 1, latestReleased);
        }

        var highest = await _versions.Find(Builders<BsonDocument>.Filter.Eq("scheme", scheme))
            .SortByDescending(d => d["version"]).Limit(1).FirstOrDefaultAsync(cancellationToken);
        if (highest is not null && highest["state"] != Released
            && highest["claimedAt"].ToUniversalTime() > DateTime.UtcNow - AbandonedAfter)
        {
            // Another release of this scheme is being written now.
            throw new ConcurrentReleaseException(scheme, expected - 1, highest["version"].AsInt32);
        }

        var next = Math.Max(expected, (highest?["version"].AsInt32 ?? 0) + 1);
        try
        {
            await _versions.InsertOneAsync(
                new BsonDocument
                {
                    ["_id"] = $"{scheme}|{next}",
                    ["scheme"] = scheme,
                    ["version"] = next,
                    ["state"] = "pending",
                    ["claimedAt"] = DateTime.UtcNow,
                    [MongoOutbox.Field] = new BsonArray(),
                },
                cancellationToken: cancellationToken);
            return next;
        }
        catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey)
        {
            throw new ConcurrentReleaseException(scheme, expected - 1, next);
        }
    }

    private static FilterDefinition<BsonDocument> ReleasedOf(string scheme) =>
        Builders<BsonDocument>.Filter.Eq("scheme", scheme) & Builders<BsonDocument>.Filter.Eq("state", Released);

    private static SchemeVersion ReadVersion(BsonDocument header) => new(
        header["scheme"].AsString,
        header["version"].AsInt32,
        header["conceptCount"].AsInt32,
        new DateTimeOffset(header["releasedAt"].ToUniversalTime()));
}
