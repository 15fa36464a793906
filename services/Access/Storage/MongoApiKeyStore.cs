using Lmis.Access.Keys;
using Lmis.BuildingBlocks.Storage;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Lmis.Access.Storage;

/// <summary>
/// Keys on MongoDB, collection <c>api_keys</c> with a unique index on the hash. A rotation writes the replacement
/// first and then revokes the old key with a conditional update; if the old key was revoked meanwhile, the
/// replacement is removed again, so a rotation never leaves two valid keys behind.
/// </summary>
public sealed class MongoApiKeyStore : IApiKeyStore, IStoreSchema
{
    private readonly IMongoCollection<BsonDocument> _keys;

    public MongoApiKeyStore(IMongoDatabase database)
    {
        _keys = database.GetCollection<BsonDocument>("api_keys");
    }

    public void CreateSchema()
    {
        _keys.Indexes.CreateOne(new CreateIndexModel<BsonDocument>(
            Builders<BsonDocument>.IndexKeys.Ascending("secret_hash"), new CreateIndexOptions { Unique = true }));
    }

    private static FilterDefinitionBuilder<BsonDocument> Filter => Builders<BsonDocument>.Filter;

    public async Task<ApiKeyRecord?> FindByHashAsync(string secretHash, CancellationToken cancellationToken) =>
        await FindOneAsync(Filter.Eq("secret_hash", secretHash), cancellationToken);

    public async Task<ApiKeyRecord?> FindAsync(string id, CancellationToken cancellationToken) =>
        await FindOneAsync(Filter.Eq("_id", id), cancellationToken);

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(string? country, bool includeRevoked, CancellationToken cancellationToken)
    {
        var filter = Filter.Empty;
        if (country is not null)
        {
            filter &= Filter.Eq("country", country);
        }

        if (!includeRevoked)
        {
            filter &= Filter.Eq("revoked_at", BsonNull.Value);
        }

        var documents = await _keys.Find(filter).Sort(Builders<BsonDocument>.Sort.Ascending("created_at").Ascending("_id")).ToListAsync(cancellationToken);
        return [.. documents.Select(ToRecord)];
    }

    public async Task<bool> AnyAsync(CancellationToken cancellationToken) =>
        await _keys.Find(Filter.Empty).Limit(1).AnyAsync(cancellationToken);

    public Task AddAsync(ApiKeyRecord key, CancellationToken cancellationToken) =>
        _keys.InsertOneAsync(ToDocument(key), cancellationToken: cancellationToken);

    public async Task<ApiKeyRecord?> RevokeAsync(string id, DateTimeOffset at, string by, CancellationToken cancellationToken)
    {
        await _keys.UpdateOneAsync(
            Filter.Eq("_id", id) & Filter.Eq("revoked_at", BsonNull.Value),
            Builders<BsonDocument>.Update.Set("revoked_at", at.UtcDateTime).Set("revoked_by", by),
            cancellationToken: cancellationToken);
        return await FindAsync(id, cancellationToken);
    }

    public async Task<bool> RotateAsync(string oldId, ApiKeyRecord replacement, CancellationToken cancellationToken)
    {
        if (await FindAsync(oldId, cancellationToken) is not { IsRevoked: false })
        {
            return false;
        }

        await AddAsync(replacement, cancellationToken);
        var revoked = await _keys.UpdateOneAsync(
            Filter.Eq("_id", oldId) & Filter.Eq("revoked_at", BsonNull.Value),
            Builders<BsonDocument>.Update.Set("revoked_at", replacement.CreatedAt.UtcDateTime).Set("revoked_by", replacement.CreatedBy),
            cancellationToken: cancellationToken);
        if (revoked.ModifiedCount == 1)
        {
            return true;
        }

        await _keys.DeleteOneAsync(Filter.Eq("_id", replacement.Id), CancellationToken.None);
        return false;
    }

    private async Task<ApiKeyRecord?> FindOneAsync(FilterDefinition<BsonDocument> filter, CancellationToken cancellationToken)
    {
        var document = await _keys.Find(filter).FirstOrDefaultAsync(cancellationToken);
        return document is null ? null : ToRecord(document);
    }

    private static BsonDocument ToDocument(ApiKeyRecord key) => new()
    {
        ["_id"] = key.Id,
        ["name"] = key.Name,
        ["role"] = key.Role,
        ["country"] = (BsonValue?)key.Country ?? BsonNull.Value,
        ["secret_hash"] = key.SecretHash,
        ["created_at"] = key.CreatedAt.UtcDateTime,
        ["created_by"] = key.CreatedBy,
        ["revoked_at"] = BsonNull.Value,
        ["revoked_by"] = BsonNull.Value,
        ["rotated_from"] = (BsonValue?)key.RotatedFrom ?? BsonNull.Value,
    };

    private static ApiKeyRecord ToRecord(BsonDocument d) => new(
        d["_id"].AsString, d["name"].AsString, d["role"].AsString, d["country"].IsBsonNull ? null : d["country"].AsString,
        d["secret_hash"].AsString, new DateTimeOffset(d["created_at"].ToUniversalTime(), TimeSpan.Zero), d["created_by"].AsString,
        d["revoked_at"].IsBsonNull ? null : new DateTimeOffset(d["revoked_at"].ToUniversalTime(), TimeSpan.Zero),
        d["revoked_by"].IsBsonNull ? null : d["revoked_by"].AsString,
        d["rotated_from"].IsBsonNull ? null : d["rotated_from"].AsString);
}
