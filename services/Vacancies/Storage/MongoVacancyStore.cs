using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lmis.BuildingBlocks.Outbox;
using Lmis.BuildingBlocks.Text;
using Lmis.Contracts.Events;
using Lmis.Vacancies.Publishing;
using Lmis.Vacancies.Search;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Lmis.Vacancies.Storage;

/// <summary>
/// Vacancies on MongoDB: one document per vacancy, its pending events inside it (<see cref="MongoOutbox"/>), so a
/// change and its event are one atomic single-document write. Concurrent publishers of the same vacancy are
/// serialised by an optimistic check on the version. Change cursors come from a counter document; with several
/// concurrent writers a cursor can become visible slightly after a higher one, so a mirror following the change
/// feed on MongoDB should resume a few seconds behind its last cursor (documented in docs/vacancies.md).
/// </summary>
public sealed class MongoVacancyStore : IVacancyStore
{
    private const string Collection = "vacancies";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);
    private readonly IMongoCollection<BsonDocument> _vacancies;
    private readonly IMongoCollection<BsonDocument> _counters;

    public MongoVacancyStore(IMongoDatabase database)
    {
        _vacancies = database.GetCollection<BsonDocument>(Collection);
        _counters = database.GetCollection<BsonDocument>("counters");
        _vacancies.Indexes.CreateMany(
        [
            new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("country").Ascending("sourceId"), new CreateIndexOptions { Unique = true }),
            new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("country").Ascending("status").Ascending("occupation").Descending("seq")),
            new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("status").Descending("seq")),
            new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("changeSeq")),
            new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("status").Ascending("validThrough")),
        ]);
        Outbox = new MongoOutbox(database, Collection);
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
            var closed = FromDocument(document).Close(VacancyStatus.Expired, now) with { Cursor = await NextChangeAsync(cancellationToken) };
            if (await ReplaceAsync(document, closed, document["fingerprint"].AsString, PublishOutcome.Closed, cancellationToken))
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

    public async Task<VacancyPage> SearchAsync(VacancyQuery query, CancellationToken cancellationToken)
    {
        var f = Builders<BsonDocument>.Filter;
        var filter = FilterOf(query);
        long? total = query.IncludeTotal ? await _vacancies.CountDocumentsAsync(filter, cancellationToken: cancellationToken) : null;
        if (query.After is { } after)
        {
            filter &= f.Lt("seq", after);
        }

        var documents = await _vacancies.Find(filter).SortByDescending(d => d["seq"]).Limit(query.PageSize + 1).ToListAsync(cancellationToken);
        var page = documents.Take(query.PageSize).ToArray();
        return new VacancyPage([.. page.Select(FromDocument)], documents.Count > query.PageSize ? page[^1]["seq"].AsInt64 : null, total);
    }

    /// <summary>
    /// The filter of a search. Every value a caller sent is compared through a typed builder on a fixed field (and
    /// text words are regex-escaped), so nothing a caller sends is ever read as a query operator.
    /// </summary>
    public static FilterDefinition<BsonDocument> FilterOf(VacancyQuery query)
    {
        var f = Builders<BsonDocument>.Filter;
        var filter = f.Empty;
        if (query.Countries.Count > 0)
        {
            filter &= f.In("country", query.Countries);
        }

        if (query.Statuses.Count > 0)
        {
            filter &= f.In("status", query.Statuses);
        }

        if (query.OccupationPrefix is { } occupation)
        {
            filter &= f.Gte("occupation", occupation) & f.Lt("occupation", occupation + "~");
        }

        if (query.SectorCode is { } sector)
        {
            filter &= f.Eq("content.SectorCode", sector);
        }

        if (query.EmploymentType is { } type)
        {
            filter &= f.Eq("content.EmploymentType", type);
        }

        if (query.ForeignWorkersEligible is { } eligible)
        {
            filter &= f.Eq("content.ForeignWorkersEligible", eligible);
        }

        if (query.OriginCountry is { } origin)
        {
            filter &= f.Eq("content.ForeignWorkersEligible", true)
                & (f.Size("content.EligibleOriginCountries", 0) | f.AnyEq("content.EligibleOriginCountries", origin));
        }

        if (query.PathwayId is { } pathway)
        {
            filter &= f.Eq("content.PathwayId", pathway);
        }

        if (query.FeeFreeOnly)
        {
            filter &= f.Eq("content.WorkerPaysRecruitmentFees", false);
        }

        if (query.WageCurrency is { } currency)
        {
            filter &= f.Eq("content.Wage.Currency", currency);
            if (query.WageMin is { } min)
            {
                filter &= f.Or(f.Gte("content.Wage.Max", (double)min), f.And(f.Eq("content.Wage.Max", BsonNull.Value), f.Gte("content.Wage.Min", (double)min)));
            }

            if (query.WageMax is { } max)
            {
                filter &= f.Or(f.Lte("content.Wage.Min", (double)max), f.And(f.Eq("content.Wage.Min", BsonNull.Value), f.Lte("content.Wage.Max", (double)max)));
            }
        }

        if (query.PostedSince is { } since)
        {
            filter &= f.Gte("content.DatePosted", since.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }

        if (query.Text is { } text)
        {
            foreach (var word in TextFolding.Words(text))
            {
                filter &= f.Regex("text", new BsonRegularExpression("\\b" + Regex.Escape(word)));
            }
        }

        return filter;
    }

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

    private static Vacancy FromDocument(BsonDocument document)
    {
        var content = document["content"].AsBsonDocument;
        return new Vacancy(
            Guid.Parse(document["_id"].AsString),
            document["country"].AsString,
            document["sourceId"].AsString,
            document["version"].AsInt32,
            document["status"].AsString,
            JsonSerializer.Deserialize<VacancyContent>(content.ToJson(new MongoDB.Bson.IO.JsonWriterSettings { OutputMode = MongoDB.Bson.IO.JsonOutputMode.RelaxedExtendedJson }), Json)
                ?? throw new InvalidDataException($"Vacancy {document["_id"]} has no content."),
            new DateTimeOffset(document["publishedAt"].ToUniversalTime()),
            new DateTimeOffset(document["updatedAt"].ToUniversalTime()))
        {
            ClosedReason = document["closedReason"].IsBsonNull ? null : document["closedReason"].AsString,
            ClosedAt = document["closedAt"].IsBsonNull ? null : new DateTimeOffset(document["closedAt"].ToUniversalTime()),
            Cursor = document["changeSeq"].AsInt64,
        };
    }
}
