using Lmis.BuildingBlocks.Storage;
using Lmis.Contracts.Events;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Lmis.Statistics.Storage;

public sealed class MongoVacancyFigureStore : IVacancyFigureStore, IStoreSchema
{
    private const string VacanciesFeed = "vacancies";
    private readonly IMongoCollection<BsonDocument> _facts;
    private readonly IMongoCollection<BsonDocument> _positions;

    public MongoVacancyFigureStore(IMongoDatabase database)
    {
        _facts = database.GetCollection<BsonDocument>("vacancy_facts");
        _positions = database.GetCollection<BsonDocument>("change_feed_positions");
    }

    public void CreateSchema()
    {
        _facts.Indexes.CreateOne(new CreateIndexModel<BsonDocument>(
            Builders<BsonDocument>.IndexKeys.Ascending("country").Ascending("majorGroup").Ascending("status")));
    }

    public async Task<int> ApplyAsync(IReadOnlyList<VacancySnapshot> vacancies, CancellationToken cancellationToken)
    {
        var changed = 0;
        foreach (var vacancy in vacancies)
        {
            changed += await ApplyAsync(vacancy, cancellationToken) ? 1 : 0;
        }

        return changed;
    }

    /// <summary>
    /// The position is written after the facts (a standalone server has no multi-document transactions): a crash
    /// between the two reads those changes again, and applying them again changes nothing.
    /// </summary>
    public async Task<int> ApplyFromChangeFeedAsync(IReadOnlyList<VacancySnapshot> vacancies, long position, CancellationToken cancellationToken)
    {
        var changed = await ApplyAsync(vacancies, cancellationToken);
        await _positions.ReplaceOneAsync(
            Builders<BsonDocument>.Filter.Eq("_id", VacanciesFeed),
            new BsonDocument { ["_id"] = VacanciesFeed, ["position"] = position },
            new ReplaceOptions { IsUpsert = true },
            cancellationToken);
        return changed;
    }

    public async Task<long> ReadChangeFeedPositionAsync(CancellationToken cancellationToken)
    {
        var document = await _positions.Find(Builders<BsonDocument>.Filter.Eq("_id", VacanciesFeed)).FirstOrDefaultAsync(cancellationToken);
        return document?["position"].ToInt64() ?? 0;
    }

    private async Task<bool> ApplyAsync(VacancySnapshot vacancy, CancellationToken cancellationToken)
    {
        var id = vacancy.VacancyId.ToString();
        var fact = new BsonDocument
        {
            ["_id"] = id,
            ["country"] = vacancy.Country,
            ["majorGroup"] = VacancyFigureRules.MajorGroup(vacancy.OccupationCode),
            ["positions"] = vacancy.Positions,
            ["status"] = vacancy.Status,
            ["version"] = vacancy.Version,
            ["fact"] = BsonDocument.Parse(System.Text.Json.JsonSerializer.Serialize(VacancyFact.Of(vacancy), FactJson)),
        };
        // Replace only an older version; when none is stored the upsert inserts, and when a newer one is stored
        // the filter misses and the upsert's insert fails on the duplicate id: nothing changes either way.
        try
        {
            var result = await _facts.ReplaceOneAsync(
                Builders<BsonDocument>.Filter.Eq("_id", id) & Builders<BsonDocument>.Filter.Lt("version", vacancy.Version),
                fact,
                new ReplaceOptions { IsUpsert = true },
                cancellationToken);
            return result.ModifiedCount > 0 || result.UpsertedId is not null;
        }
        catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<VacancyCount>> CountOpenAsync(string? country, CancellationToken cancellationToken)
    {
        var filter = Builders<BsonDocument>.Filter.Eq("status", VacancyStatus.Open);
        if (country is not null)
        {
            filter &= Builders<BsonDocument>.Filter.Eq("country", country);
        }

        var groups = await _facts.Aggregate()
            .Match(filter)
            .Group(new BsonDocument
            {
                ["_id"] = new BsonDocument { ["country"] = "$country", ["majorGroup"] = "$majorGroup" },
                ["vacancies"] = new BsonDocument("$sum", 1),
                ["positions"] = new BsonDocument("$sum", "$positions"),
            })
            .ToListAsync(cancellationToken);
        return groups
            .Select(g => new VacancyCount(
                g["_id"]["country"].AsString, g["_id"]["majorGroup"].AsString, g["vacancies"].AsInt32, g["positions"].AsInt32))
            .OrderBy(c => c.Country, StringComparer.Ordinal)
            .ThenBy(c => c.OccupationMajorGroup, StringComparer.Ordinal)
            .ToArray();
    }

    private static readonly System.Text.Json.JsonSerializerOptions FactJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    public async IAsyncEnumerable<VacancyFact> FactsAsync(string? country, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = country is null ? Builders<BsonDocument>.Filter.Empty : Builders<BsonDocument>.Filter.Eq("country", country);
        using var cursor = await _facts.Find(filter).Project(Builders<BsonDocument>.Projection.Include("fact")).ToCursorAsync(cancellationToken);
        while (await cursor.MoveNextAsync(cancellationToken))
        {
            foreach (var document in cursor.Current)
            {
                yield return System.Text.Json.JsonSerializer.Deserialize<VacancyFact>(document["fact"].AsBsonDocument.ToJson(), FactJson)!;
            }
        }
    }

    public async Task ClearAsync(CancellationToken cancellationToken)
    {
        await _positions.DeleteManyAsync(Builders<BsonDocument>.Filter.Empty, cancellationToken);
        await _facts.DeleteManyAsync(Builders<BsonDocument>.Filter.Empty, cancellationToken);
    }
}
