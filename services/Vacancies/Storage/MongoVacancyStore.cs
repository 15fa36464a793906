using System.Runtime.CompilerServices;
using System.Text.Json;
using Lmis.BuildingBlocks.Outbox;
using Lmis.BuildingBlocks.Storage;
using Lmis.BuildingBlocks.Text;
using Lmis.Contracts.Events;
using Lmis.Vacancies.Publishing;
using Lmis.Vacancies.Search;
using MongoDB.Bson;
using MongoDB.Driver;
using static Lmis.Vacancies.Storage.MongoVacancyDocuments;

namespace Lmis.Vacancies.Storage;

/// <summary>
/// Vacancies on MongoDB: one document per vacancy, its pending events inside it (<see cref="MongoOutbox"/>), so a
/// change and its event are one atomic single-document write. Concurrent publishers of the same vacancy are
/// serialised by an optimistic check on the version. Change cursors come from a counter document; with several
/// concurrent writers a cursor can become visible slightly after a higher one, so a mirror following the change
/// feed on MongoDB should resume a few seconds behind its last cursor (documented in docs/vacancies.md).
/// </summary>
public sealed class MongoVacancyStore : IVacancyStore, IStoreSchema
{
    private readonly IMongoCollection<BsonDocument> _vacancies;
    private readonly IMongoCollection<BsonDocument> _counters;
    private readonly MongoVacancySearch _search;

    public MongoVacancyStore(IMongoDatabase database)
    {
        _vacancies = database.GetCollection<BsonDocument>(Collection);
        _counters = database.GetCollection<BsonDocument>("counters");
        Outbox = new MongoOutbox(database, Collection);
        _search = new MongoVacancySearch(database);
    }

    public void CreateSchema()
    {
        _vacancies.Indexes.CreateMany(
        [
            new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("country").Ascending("sourceId"), new CreateIndexOptions { Unique = true }),
            new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("country").Ascending("status").Ascending("occupation").Descending("seq")),
            new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("status").Descending("seq")),
            new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("changeSeq")),
            new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("status").Ascending("validThrough")),
        ]);
    }

    public Outbox Outbox { get; }

    public async Task<IReadOnlyList<(Vacancy Vacancy, PublishOutcome Outcome)>> UpsertAsync(
        IReadOnlyList<VacancyWrite> writes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var results = new List<(Vacancy, PublishOutcome)>(writes.Count);
        foreach (var write in writes)
        {
            results.Add(await UpsertOneAsync(write, now, cancellationToken));
        }

        if (results.Any(r => r.Item2 != PublishOutcome.Unchanged))
        {
            Outbox.NotifyWritten();
        }

        return results;
    }

    public async Task<(Vacancy Vacancy, PublishOutcome Outcome)?> CloseAsync(
        string country, string sourceId, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        while (true)
        {
            var existing = await FindDocumentAsync(country, sourceId, cancellationToken);
            if (existing is null)
            {
                return null;
            }

            var vacancy = FromDocument(existing);
            if (vacancy.CloseIfOpen(reason, now) is not { } change)
            {
                return (vacancy, PublishOutcome.Unchanged);
            }

            var closed = change.Next with { Cursor = await NextChangeAsync(cancellationToken) };
            if (await ReplaceAsync(existing, closed, existing["fingerprint"].AsString, change.Outcome, cancellationToken))
            {
                Outbox.NotifyWritten();
                return (closed, change.Outcome);
            }
        }
    }

    public async Task<int> ExpireAsync(DateOnly today, DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var due = await _vacancies.Find(Builders<BsonDocument>.Filter.Eq("status", VacancyStatus.Open)
                & Builders<BsonDocument>.Filter.Lt("validThrough", today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)))
            .Limit(max).ToListAsync(cancellationToken);
        var expired = 0;
        foreach (var document in due)
        {
            if (FromDocument(document).ExpireIfOpen(now) is not { } change)
            {
                continue;
            }

            var closed = change.Next with { Cursor = await NextChangeAsync(cancellationToken) };
            if (await ReplaceAsync(document, closed, document["fingerprint"].AsString, change.Outcome, cancellationToken))
            {
                expired++;
            }
        }

        if (expired > 0)
        {
            Outbox.NotifyWritten();
        }

        return expired;
    }

    public async Task<Vacancy?> FindAsync(string country, string sourceId, CancellationToken cancellationToken)
    {
        var document = await FindDocumentAsync(country, sourceId, cancellationToken);
        return document is null ? null : FromDocument(document);
    }

    public Task<VacancyPage> SearchAsync(VacancyQuery query, CancellationToken cancellationToken) =>
        _search.SearchAsync(query, cancellationToken);

    public async IAsyncEnumerable<(long Cursor, Vacancy Vacancy)> SnapshotAsync(
        string? country, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cursor = (await _counters.Find(Builders<BsonDocument>.Filter.Eq("_id", "changes")).FirstOrDefaultAsync(cancellationToken))?["value"].AsInt64 ?? 0;
        var filter = Builders<BsonDocument>.Filter.Eq("status", VacancyStatus.Open) & Builders<BsonDocument>.Filter.Lte("changeSeq", cursor);
        if (country is not null)
        {
            filter &= Builders<BsonDocument>.Filter.Eq("country", country);
        }

        using var documents = await _vacancies.Find(filter).SortBy(d => d["seq"]).ToCursorAsync(cancellationToken);
        while (await documents.MoveNextAsync(cancellationToken))
        {
            foreach (var document in documents.Current)
            {
                yield return (cursor, FromDocument(document));
            }
        }
    }

    public async Task<IReadOnlyList<Vacancy>> ChangesAsync(long after, string? country, int max, CancellationToken cancellationToken)
    {
        var filter = Builders<BsonDocument>.Filter.Gt("changeSeq", after);
        if (country is not null)
        {
            filter &= Builders<BsonDocument>.Filter.Eq("country", country);
        }

        var documents = await _vacancies.Find(filter).SortBy(d => d["changeSeq"]).Limit(max).ToListAsync(cancellationToken);
        return [.. documents.Select(FromDocument)];
    }

    private async Task<(Vacancy, PublishOutcome)> UpsertOneAsync(VacancyWrite write, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var fingerprint = write.Content.Fingerprint();
        while (true)
        {
            var existing = await FindDocumentAsync(write.Country, write.SourceId, cancellationToken);
            var previous = existing is null ? null : FromDocument(existing);
            if (Vacancy.Apply(previous, existing?["fingerprint"].AsString == fingerprint, write.Country, write.SourceId, write.Content, write.Closing, now)
                is not { } change)
            {
                return (previous!, PublishOutcome.Unchanged);
            }

            var next = change.Next with { Cursor = await NextChangeAsync(cancellationToken) };
            if (existing is null)
            {
                var document = ToDocument(next, fingerprint, await NextSequenceAsync("vacancies", cancellationToken));
                document[MongoOutbox.Field] = MongoOutbox.With(next.Announce(change.Outcome));
                try
                {
                    await _vacancies.InsertOneAsync(document, cancellationToken: cancellationToken);
                    return (next, change.Outcome);
                }
                catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey)
                {
                    continue; // Another publisher created it first: update that one instead.
                }
            }

            if (await ReplaceAsync(existing, next, fingerprint, change.Outcome, cancellationToken))
            {
                return (next, change.Outcome);
            }
        }
    }

    /// <summary>Writes the next version over the previous one, with its event, if nobody else wrote in between.</summary>
    private async Task<bool> ReplaceAsync(BsonDocument existing, Vacancy next, string fingerprint, PublishOutcome outcome, CancellationToken cancellationToken)
    {
        var replacement = ToDocument(next, fingerprint, existing["seq"].AsInt64);
        var pending = existing.GetValue(MongoOutbox.Field, new BsonArray()).AsBsonArray;
        replacement[MongoOutbox.Field] = new BsonArray(pending.Concat(MongoOutbox.With(next.Announce(outcome))));
        var result = await _vacancies.ReplaceOneAsync(
            Builders<BsonDocument>.Filter.Eq("_id", existing["_id"]) & Builders<BsonDocument>.Filter.Eq("version", existing["version"]),
            replacement,
            cancellationToken: cancellationToken);
        return result.ModifiedCount == 1;
    }

    private Task<long> NextChangeAsync(CancellationToken cancellationToken) => NextSequenceAsync("changes", cancellationToken);

    private async Task<long> NextSequenceAsync(string name, CancellationToken cancellationToken)
    {
        var counter = await _counters.FindOneAndUpdateAsync(
            Builders<BsonDocument>.Filter.Eq("_id", name),
            Builders<BsonDocument>.Update.Inc("value", 1L),
            new FindOneAndUpdateOptions<BsonDocument> { IsUpsert = true, ReturnDocument = ReturnDocument.After },
            cancellationToken);
        return counter["value"].AsInt64;
    }

    private Task<BsonDocument?> FindDocumentAsync(string country, string sourceId, CancellationToken cancellationToken) =>
        _vacancies.Find(Builders<BsonDocument>.Filter.Eq("country", country) & Builders<BsonDocument>.Filter.Eq("sourceId", sourceId))
            .FirstOrDefaultAsync(cancellationToken)!;

    private static BsonDocument ToDocument(Vacancy vacancy, string fingerprint, long seq) => new()
    {
        ["_id"] = vacancy.Id.ToString(),
        ["seq"] = seq,
        ["country"] = vacancy.Country,
        ["sourceId"] = vacancy.SourceId,
        ["version"] = vacancy.Version,
        ["status"] = vacancy.Status,
        ["closedReason"] = (BsonValue?)vacancy.ClosedReason ?? BsonNull.Value,
        ["closedAt"] = vacancy.ClosedAt is { } closedAt ? closedAt.UtcDateTime : BsonNull.Value,
        ["fingerprint"] = fingerprint,
        ["occupation"] = vacancy.Content.OccupationCode,
        ["validThrough"] = (BsonValue?)vacancy.Content.ValidThrough?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? BsonNull.Value,
        ["text"] = TextFolding.Fold(vacancy.Content.Title + " " + vacancy.Content.Description),
        ["content"] = BsonDocument.Parse(JsonSerializer.Serialize(vacancy.Content, Json)),
        ["publishedAt"] = vacancy.PublishedAt.UtcDateTime,
        ["updatedAt"] = vacancy.UpdatedAt.UtcDateTime,
        ["changeSeq"] = vacancy.Cursor,
    };
}
