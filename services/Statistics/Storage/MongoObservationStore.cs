using System.Globalization;
using System.Runtime.CompilerServices;
using Lmis.BuildingBlocks.Outbox;
using Lmis.BuildingBlocks.Storage;
using Lmis.Contracts.Events;
using Lmis.Statistics.Datasets;
using Lmis.Statistics.Sdmx;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Lmis.Statistics.Storage;

/// <summary>
/// Observations on MongoDB: the latest value of each (dataflow, series, period) in <c>observations</c>, the values it
/// replaced in <c>observation_vintages</c>. A standalone MongoDB server has no multi-document transactions, so each
/// observation is written on its own (a revision keeps the vintage first, then replaces the latest value only if no
/// one else revised it meanwhile), and the batch's events go out in an <c>observation_saves</c> document written
/// right after it: a crash in between loses that announcement, never an observation.
/// </summary>
public sealed class MongoObservationStore : IObservationStore, IStoreSchema
{
    private readonly IMongoCollection<BsonDocument> _latest;
    private readonly IMongoCollection<BsonDocument> _vintages;
    private readonly IMongoCollection<BsonDocument> _saves;

    public MongoObservationStore(IMongoDatabase database)
    {
        _latest = database.GetCollection<BsonDocument>("observations");
        _vintages = database.GetCollection<BsonDocument>("observation_vintages");
        _saves = database.GetCollection<BsonDocument>("observation_saves");
        Outbox = new MongoOutbox(database, "observation_saves");
    }

    public void CreateSchema()
    {
        _latest.Indexes.CreateOne(new CreateIndexModel<BsonDocument>(
            Builders<BsonDocument>.IndexKeys.Ascending("dataflow").Ascending("area").Ascending("series").Ascending("start")));
        _vintages.Indexes.CreateOne(new CreateIndexModel<BsonDocument>(
            Builders<BsonDocument>.IndexKeys.Ascending("dataflow").Ascending("series").Ascending("start")));
        _latest.Indexes.CreateOne(new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("dataflow").Ascending("recordedAt")));
        _vintages.Indexes.CreateOne(new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("dataflow").Ascending("recordedAt")));
    }

    public Outbox Outbox { get; }

    private static FilterDefinitionBuilder<BsonDocument> Filter => Builders<BsonDocument>.Filter;

    public async Task<ObservationsSaved> SaveAsync(
        DataStructure structure, IReadOnlyList<Observation> observations, string publisher, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var dataflow = structure.Reference.ToString();
        var tally = new ObservationSaveTally(structure, observations);
        foreach (var observation in observations)
        {
            var document = ToDocument(dataflow, observation, publisher, at);
            var current = await _latest.Find(Filter.Eq("_id", document["_id"])).FirstOrDefaultAsync(cancellationToken);
            var held = current is null
                ? null
                : new StoredObservation(current["value"].IsBsonNull ? null : current["value"].AsString,
                    [.. current["attributes"].AsBsonArray.Select(a => a.IsBsonNull ? null : a.AsString)]);
            var outcome = ObservationSaveTally.Decide(observation, held);
            if (outcome == ObservationSaveOutcome.Add)
            {
                await _latest.InsertOneAsync(document.Set("vintage", 1), cancellationToken: cancellationToken);
            }
            else if (outcome == ObservationSaveOutcome.Revise && !await ReviseAsync(current!, document, at, cancellationToken))
            {
                continue; // Another upload revised it meanwhile: that revision stands.
            }

            tally.Record(observation, outcome);
        }

        var events = tally.Events(at);
        if (events.Count > 0)
        {
            var outbox = new BsonArray();
            foreach (var integrationEvent in events)
            {
                outbox.AddRange(MongoOutbox.With(integrationEvent));
            }

            await _saves.InsertOneAsync(new BsonDocument { ["_id"] = Guid.CreateVersion7().ToString(), ["at"] = at.UtcDateTime, [MongoOutbox.Field] = outbox },
                cancellationToken: cancellationToken);
            Outbox.NotifyWritten(events);
        }

        return tally.Saved;
    }

    public async IAsyncEnumerable<Observation> ReadAsync(ObservationQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = Filter.Eq("dataflow", query.Structure.Reference.ToString());
        if (query.SeriesKeys is { } keys)
        {
            filter &= Filter.In("series", keys);
        }
        else if (query.Areas.Count > 0)
        {
            filter &= Filter.In("area", query.Areas);
        }

        if (query.Bounds.StartPeriod is { } from)
        {
            filter &= Filter.Gte("start", Day(from.Start));
        }

        if (query.Bounds.EndPeriod is { } to)
        {
            filter &= Filter.Lte("start", Day(to.End));
        }

        if (query.UpdatedAfter is { } after)
        {
            filter &= Filter.Gt("recordedAt", after.UtcDateTime);
        }

        if (query.AsOf is { } recordedBy)
        {
            filter &= Filter.Lte("recordedAt", recordedBy.UtcDateTime);
        }

        IEnumerable<BsonDocument> documents;
        if (query.IncludeHistory)
        {
            var latest = await _latest.Find(filter).ToListAsync(cancellationToken);
            var earlier = await _vintages.Find(filter).ToListAsync(cancellationToken);
            documents = latest.Concat(earlier)
                .OrderBy(d => d["recordedAt"].ToUniversalTime()).ThenBy(d => Superseded(d) ?? DateTime.MaxValue)
                .ThenBy(d => d["series"].AsString, StringComparer.Ordinal).ThenBy(d => d["start"].AsString, StringComparer.Ordinal)
                .ThenByDescending(d => d["end"].AsString, StringComparer.Ordinal);
        }
        else if (query.AsOf is { } asOf)
        {
            // As of a time: the latest values recorded by then, and the earlier values that were still the latest then.
            var latest = await _latest.Find(filter).ToListAsync(cancellationToken);
            var earlier = await _vintages.Find(filter & Filter.Gt("supersededAt", asOf.UtcDateTime)).ToListAsync(cancellationToken);
            documents = latest.Concat(earlier)
                .OrderBy(d => d["series"].AsString, StringComparer.Ordinal).ThenBy(d => d["start"].AsString, StringComparer.Ordinal)
                .ThenByDescending(d => d["end"].AsString, StringComparer.Ordinal);
        }
        else
        {
            documents = await _latest.Find(filter).Sort(Builders<BsonDocument>.Sort.Ascending("series").Ascending("start").Descending("end"))
                .ToListAsync(cancellationToken);
        }

        foreach (var document in documents)
        {
            var series = document["series"].AsString;
            if (query.Series(series))
            {
                yield return new Observation(
                    query.Structure,
                    series.Split('.'),
                    TimePeriod.Parse(document["period"].AsString),
                    document["value"].IsBsonNull ? null : decimal.Parse(document["value"].AsString, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture),
                    [.. document["attributes"].AsBsonArray.Select(a => a.IsBsonNull ? null : a.AsString)])
                {
                    Vintage = new ObservationVintage(
                        new DateTimeOffset(document["recordedAt"].ToUniversalTime()),
                        Superseded(document) is { } superseded ? new DateTimeOffset(superseded) : null),
                };
            }
        }
    }

    public async Task<DateTimeOffset?> LastChangedAsync(DataStructure structure, CancellationToken cancellationToken)
    {
        var last = await _latest.Find(Filter.Eq("dataflow", structure.Reference.ToString()))
            .Sort(Builders<BsonDocument>.Sort.Descending("recordedAt")).Limit(1).FirstOrDefaultAsync(cancellationToken);
        return last is null ? null : new DateTimeOffset(last["recordedAt"].ToUniversalTime());
    }

    private static DateTime? Superseded(BsonDocument document) =>
        document.TryGetValue("supersededAt", out var at) && !at.IsBsonNull ? at.ToUniversalTime() : null;

    /// <summary>Keeps the value held as a vintage, then replaces it, if no one else revised it meanwhile.</summary>
    private async Task<bool> ReviseAsync(BsonDocument current, BsonDocument document, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var vintage = current["vintage"].ToInt32();
        var kept = new BsonDocument(current) { ["_id"] = $"{current["_id"].AsString}|{vintage}", ["supersededAt"] = at.UtcDateTime };
        await _vintages.ReplaceOneAsync(Filter.Eq("_id", kept["_id"]), kept, new ReplaceOptions { IsUpsert = true }, cancellationToken);
        var replaced = await _latest.ReplaceOneAsync(
            Filter.Eq("_id", document["_id"]) & Filter.Eq("vintage", vintage), document.Set("vintage", vintage + 1), cancellationToken: cancellationToken);
        return replaced.ModifiedCount == 1;
    }

    private static BsonDocument ToDocument(string dataflow, Observation observation, string publisher, DateTimeOffset at) => new()
    {
        ["_id"] = $"{dataflow}|{observation.SeriesKey}|{observation.Period}",
        ["dataflow"] = dataflow,
        ["series"] = observation.SeriesKey,
        ["period"] = observation.Period.ToString(),
        ["start"] = Day(observation.Period.Start),
        ["end"] = Day(observation.Period.End),
        ["area"] = ObservationSaveTally.ReportingArea(observation),
        ["value"] = observation.Value is { } value ? value.ToString(CultureInfo.InvariantCulture) : BsonNull.Value,
        ["attributes"] = new BsonArray(observation.Attributes.Select(a => a is null ? (BsonValue)BsonNull.Value : a)),
        ["recordedAt"] = at.UtcDateTime,
        ["recordedBy"] = publisher,
    };

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
