using System.Text.Json;
using Lmis.BuildingBlocks.Outbox;
using Lmis.Vacancies.Publishing;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Lmis.Vacancies.Storage;

/// <summary>
/// Vacancies on MongoDB: one document per vacancy, its pending events inside it (<see cref="MongoOutbox"/>), so a
/// change and its event are one atomic single-document write. Concurrent publishers of the same vacancy are
/// serialised by an optimistic check on the version.
/// </summary>
public sealed class MongoVacancyStore : IVacancyStore
{
    private const string Collection = "vacancies";
    private readonly IMongoCollection<BsonDocument> _vacancies;

    public MongoVacancyStore(IMongoDatabase database)
    {
        _vacancies = database.GetCollection<BsonDocument>(Collection);
        _vacancies.Indexes.CreateOne(new CreateIndexModel<BsonDocument>(
            Builders<BsonDocument>.IndexKeys.Ascending("country").Ascending("sourceId"),
            new CreateIndexOptions { Unique = true }));
        Outbox = new MongoOutbox(database, Collection);
    }

    public Outbox Outbox { get; }

    public async Task<(Vacancy Vacancy, PublishOutcome Outcome)> UpsertAsync(
        string country, string sourceId, VacancyContent content, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var fingerprint = content.Fingerprint();
        while (true)
        {
            var existing = await FindDocumentAsync(country, sourceId, cancellationToken);
            if (existing is null)
            {
                var created = new Vacancy(Guid.NewGuid(), country, sourceId, 1, VacancyStatus.Open, content, now, now);
                var document = ToDocument(created, fingerprint);
                document[MongoOutbox.Field] = MongoOutbox.With(created.Announce(PublishOutcome.Created));
                try
                {
                    await _vacancies.InsertOneAsync(document, cancellationToken: cancellationToken);
                }
                catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey)
                {
                    continue; // Another publisher created it first: update that one instead.
                }

                Outbox.NotifyWritten();
                return (created, PublishOutcome.Created);
            }

            var previous = FromDocument(existing);
            if (existing["fingerprint"].AsString == fingerprint)
            {
                return (previous, PublishOutcome.Unchanged);
            }

            var updated = previous with { Version = previous.Version + 1, Content = content, UpdatedAt = now };
            var update = Builders<BsonDocument>.Update.Combine(
                Builders<BsonDocument>.Update
                    .Set("version", updated.Version)
                    .Set("fingerprint", fingerprint)
                    .Set("content", BsonDocument.Parse(JsonSerializer.Serialize(content)))
                    .Set("updatedAt", now.UtcDateTime),
                MongoOutbox.Push(updated.Announce(PublishOutcome.Updated)));
            var result = await _vacancies.UpdateOneAsync(
                Builders<BsonDocument>.Filter.Eq("_id", existing["_id"]) & Builders<BsonDocument>.Filter.Eq("version", previous.Version),
                update,
                cancellationToken: cancellationToken);
            if (result.ModifiedCount == 1)
            {
                Outbox.NotifyWritten();
                return (updated, PublishOutcome.Updated);
            }
        }
    }

    public async Task<Vacancy?> FindAsync(string country, string sourceId, CancellationToken cancellationToken)
    {
        var document = await FindDocumentAsync(country, sourceId, cancellationToken);
        return document is null ? null : FromDocument(document);
    }

    private Task<BsonDocument?> FindDocumentAsync(string country, string sourceId, CancellationToken cancellationToken) =>
        _vacancies.Find(Builders<BsonDocument>.Filter.Eq("country", country) & Builders<BsonDocument>.Filter.Eq("sourceId", sourceId))
            .FirstOrDefaultAsync(cancellationToken)!;

    private static BsonDocument ToDocument(Vacancy vacancy, string fingerprint) => new()
    {
        ["_id"] = vacancy.Id.ToString(),
        ["country"] = vacancy.Country,
        ["sourceId"] = vacancy.SourceId,
        ["version"] = vacancy.Version,
        ["status"] = vacancy.Status,
        ["fingerprint"] = fingerprint,
        ["content"] = BsonDocument.Parse(JsonSerializer.Serialize(vacancy.Content)),
        ["publishedAt"] = vacancy.PublishedAt.UtcDateTime,
        ["updatedAt"] = vacancy.UpdatedAt.UtcDateTime,
    };

    private static Vacancy FromDocument(BsonDocument document)
    {
        var content = document["content"].AsBsonDocument;
        content.Remove("_id");
        return new Vacancy(
            Guid.Parse(document["_id"].AsString),
            document["country"].AsString,
            document["sourceId"].AsString,
            document["version"].AsInt32,
            document["status"].AsString,
            JsonSerializer.Deserialize<VacancyContent>(content.ToJson(new MongoDB.Bson.IO.JsonWriterSettings { OutputMode = MongoDB.Bson.IO.JsonOutputMode.RelaxedExtendedJson }))
                ?? throw new InvalidDataException($"Vacancy {document["_id"]} has no content."),
            new DateTimeOffset(document["publishedAt"].ToUniversalTime()),
            new DateTimeOffset(document["updatedAt"].ToUniversalTime()));
    }
}
