using MongoDB.Bson;
using MongoDB.Driver;

namespace Lmis.BuildingBlocks.Audit;

/// <summary>
/// The audit trail on MongoDB: collection <c>audit_trail</c>, positions from a counter document so pages are
/// stable. Filters are typed builders over fixed field names: a caller's value is only ever compared, never read
/// as a query operator.
/// </summary>
public sealed class MongoAuditTrail(IMongoDatabase database) : AuditTrail
{
    private readonly IMongoCollection<BsonDocument> _entries = database.GetCollection<BsonDocument>("audit_trail");
    private readonly IMongoCollection<BsonDocument> _counters = database.GetCollection<BsonDocument>("audit_trail_counter");

    public override async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        var counter = await _counters.FindOneAndUpdateAsync(
            Builders<BsonDocument>.Filter.Eq("_id", "position"),
            Builders<BsonDocument>.Update.Inc("value", 1L),
            new FindOneAndUpdateOptions<BsonDocument> { IsUpsert = true, ReturnDocument = ReturnDocument.After },
            cancellationToken);
        await _entries.InsertOneAsync(new BsonDocument
        {
            ["_id"] = counter["value"].ToInt64(),
            ["id"] = entry.Id.ToString(),
            ["at"] = entry.At.UtcDateTime,
            ["service"] = entry.Service,
            ["action"] = entry.Action,
            ["subject"] = entry.Subject,
            ["credential"] = entry.Credential,
            ["role"] = entry.Role,
            ["country"] = (BsonValue?)entry.Country ?? BsonNull.Value,
            ["client_address"] = (BsonValue?)entry.ClientAddress ?? BsonNull.Value,
            ["outcome"] = entry.Outcome,
            ["summary"] = (BsonValue?)entry.Summary ?? BsonNull.Value,
            ["call_id"] = entry.Call.ToString(),
        }, cancellationToken: cancellationToken);
    }

    public override async Task<(IReadOnlyList<AuditEntry> Entries, long? Next)> ReadAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var documents = await _entries.Find(Filter(query)).Sort(Builders<BsonDocument>.Sort.Descending("_id"))
            .Limit(query.Limit + 1).ToListAsync(cancellationToken);
        var entries = documents.Take(query.Limit).Select(ToEntry).ToList();
        long? next = documents.Count > query.Limit ? documents[query.Limit - 1]["_id"].ToInt64() : null;
        return (entries, next);
    }

    /// <summary>The filter of a query; public so tests can show that values stay values.</summary>
    public static FilterDefinition<BsonDocument> Filter(AuditQuery query)
    {
        var filter = Builders<BsonDocument>.Filter;
        var conditions = new List<FilterDefinition<BsonDocument>> { filter.Empty };
        if (query.After is { } after)
        {
            conditions.Add(filter.Lt("_id", after));
        }

        if (query.Country is not null)
        {
            conditions.Add(filter.Eq("country", query.Country));
        }

        if (query.Subject is not null)
        {
            conditions.Add(filter.Eq("subject", query.Subject));
        }

        if (query.Since is { } since)
        {
            conditions.Add(filter.Gte("at", since.UtcDateTime));
        }

        return filter.And(conditions);
    }

    private static AuditEntry ToEntry(BsonDocument d) => new(
        Guid.Parse(d["id"].AsString),
        new DateTimeOffset(d["at"].ToUniversalTime(), TimeSpan.Zero),
        d["service"].AsString, d["action"].AsString, d["subject"].AsString, d["credential"].AsString, d["role"].AsString,
        d["country"].IsBsonNull ? null : d["country"].AsString,
        d["client_address"].IsBsonNull ? null : d["client_address"].AsString,
        d["outcome"].AsString,
        d["summary"].IsBsonNull ? null : d["summary"].AsString)
    {
        // Entries written before calls had two entries each are their own call.
        Call = Guid.Parse(d.GetValue("call_id", d["id"]).AsString),
    };
}
