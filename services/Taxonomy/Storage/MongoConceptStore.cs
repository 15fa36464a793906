using Lmis.BuildingBlocks.Outbox;
using Lmis.Contracts.Events;
using Lmis.Taxonomy.Schemes;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Lmis.Taxonomy.Storage;

/// <summary>
/// Scheme versions on MongoDB without multi-document transactions: a release first claims its version number
/// with a <c>pending</c> header (unique id), then writes the concepts, then flips the header to <c>released</c>
/// together with its event in one single-document update. Readers only see released headers.
/// </summary>
public sealed class MongoConceptStore : IConceptStore
{
    private const string Versions = "scheme_versions";
    private const string Concepts = "concepts";
    private readonly IMongoCollection<BsonDocument> _versions;
    private readonly IMongoCollection<BsonDocument> _concepts;

    public MongoConceptStore(IMongoDatabase database)
    {
        _versions = database.GetCollection<BsonDocument>(Versions);
        _concepts = database.GetCollection<BsonDocument>(Concepts);
        Outbox = new MongoOutbox(database, Versions);
        _concepts.Indexes.CreateOne(new CreateIndexModel<BsonDocument>(
            Builders<BsonDocument>.IndexKeys.Ascending("scheme").Ascending("version").Ascending("code"),
            new CreateIndexOptions { Unique = true }));
        _versions.Indexes.CreateOne(new CreateIndexModel<BsonDocument>(
            Builders<BsonDocument>.IndexKeys.Ascending("scheme").Descending("version")));
    }

    public Outbox Outbox { get; }

    public async Task<SchemeVersion> ReleaseVersionAsync(
        string scheme,
        IReadOnlyList<Concept> concepts,
        Func<SchemeVersion, IIntegrationEvent> announce,
        DateTimeOffset releasedAt,
        CancellationToken cancellationToken)
    {
        var version = await ClaimNextVersionAsync(scheme, cancellationToken);
        var released = new SchemeVersion(scheme, version, concepts.Count, releasedAt);
        if (concepts.Count > 0)
        {
            await _concepts.InsertManyAsync(
                concepts.Select(c => new BsonDocument
                {
                    ["scheme"] = scheme,
                    ["version"] = version,
                    ["code"] = c.Code,
                    ["parent"] = (BsonValue?)c.ParentCode ?? BsonNull.Value,
                    ["level"] = c.Level,
                    ["labels"] = new BsonDocument(c.Labels.ToDictionary(l => l.Key, l => (object)l.Value)),
                }),
                new InsertManyOptions { IsOrdered = false },
                cancellationToken);
        }

        var release = Builders<BsonDocument>.Update.Combine(
            Builders<BsonDocument>.Update
                .Set("state", "released")
                .Set("conceptCount", concepts.Count)
                .Set("releasedAt", releasedAt.UtcDateTime),
            MongoOutbox.Push(announce(released)));
        await _versions.UpdateOneAsync(HeaderId(scheme, version), release, cancellationToken: cancellationToken);
        Outbox.NotifyWritten();
        return released;
    }

    public async Task<SchemeVersion?> FindVersionAsync(string scheme, int? version, CancellationToken cancellationToken)
    {
        var filter = Builders<BsonDocument>.Filter.Eq("scheme", scheme) & Builders<BsonDocument>.Filter.Eq("state", "released");
        if (version is not null)
        {
            filter &= Builders<BsonDocument>.Filter.Eq("version", version.Value);
        }

        var header = await _versions.Find(filter).SortByDescending(d => d["version"]).Limit(1).FirstOrDefaultAsync(cancellationToken);
        return header is null ? null : ReadVersion(header);
    }

    public async Task<Concept?> FindConceptAsync(string scheme, int version, string code, CancellationToken cancellationToken)
    {
        var filter = Builders<BsonDocument>.Filter.Eq("scheme", scheme)
            & Builders<BsonDocument>.Filter.Eq("version", version)
            & Builders<BsonDocument>.Filter.Eq("code", code);
        var document = await _concepts.Find(filter).FirstOrDefaultAsync(cancellationToken);
        return document is null
            ? null
            : new Concept(
                document["code"].AsString,
                document["parent"].IsBsonNull ? null : document["parent"].AsString,
                document["level"].AsInt32,
                document["labels"].AsBsonDocument.ToDictionary(e => e.Name, e => e.Value.AsString));
    }

    public async Task<IReadOnlyList<SchemeVersion>> ListLatestVersionsAsync(CancellationToken cancellationToken)
    {
        var headers = await _versions.Find(Builders<BsonDocument>.Filter.Eq("state", "released")).ToListAsync(cancellationToken);
        return headers.Select(ReadVersion)
            .GroupBy(v => v.Scheme)
            .Select(g => g.MaxBy(v => v.Version)!)
            .OrderBy(v => v.Scheme, StringComparer.Ordinal)
            .ToArray();
    }

    private async Task<int> ClaimNextVersionAsync(string scheme, CancellationToken cancellationToken)
    {
        while (true)
        {
            var latest = await _versions.Find(Builders<BsonDocument>.Filter.Eq("scheme", scheme))
                .SortByDescending(d => d["version"]).Limit(1).FirstOrDefaultAsync(cancellationToken);
            var next = (latest?["version"].AsInt32 ?? 0) + 1;
            try
            {
                await _versions.InsertOneAsync(
                    new BsonDocument
                    {
                        ["_id"] = $"{scheme}|{next}",
                        ["scheme"] = scheme,
                        ["version"] = next,
                        ["state"] = "pending",
                        [MongoOutbox.Field] = new BsonArray(),
                    },
                    cancellationToken: cancellationToken);
                return next;
            }
            catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey)
            {
                // Another release claimed that number first: take the next one.
            }
        }
    }

    private static FilterDefinition<BsonDocument> HeaderId(string scheme, int version) =>
        Builders<BsonDocument>.Filter.Eq("_id", $"{scheme}|{version}");

    private static SchemeVersion ReadVersion(BsonDocument header) => new(
        header["scheme"].AsString,
        header["version"].AsInt32,
        header["conceptCount"].AsInt32,
        new DateTimeOffset(header["releasedAt"].ToUniversalTime()));
}
