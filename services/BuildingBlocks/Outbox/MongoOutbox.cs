using Lmis.Contracts.Events;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Lmis.BuildingBlocks.Outbox;

/// <summary>
/// The outbox on MongoDB. A standalone MongoDB server has no multi-document transactions, so an event travels
/// inside the very document whose change it announces (an <c>_outbox</c> array updated in the same atomic
/// single-document write); this outbox reads those arrays in the collections it is given and empties them once
/// the events are published.
/// </summary>
public sealed class MongoOutbox(IMongoDatabase database, params string[] collections) : Outbox
{
    public const string Field = "_outbox";

    /// <summary>The update that adds an event to the document being written.</summary>
    public static UpdateDefinition<BsonDocument> Push(IIntegrationEvent integrationEvent) =>
        Builders<BsonDocument>.Update.Push(Field, Entry(integrationEvent));

    /// <summary>The outbox array of a document being inserted together with its event.</summary>
    public static BsonArray With(IIntegrationEvent integrationEvent) => [Entry(integrationEvent)];

    private static BsonDocument Entry(IIntegrationEvent integrationEvent)
    {
        var message = OutboxMessage.From(integrationEvent);
        return new BsonDocument
        {
            ["_id"] = message.EventId.ToString(),
            ["type"] = message.EventType,
            ["payload"] = message.Payload,
            ["occurredAt"] = message.OccurredAt.UtcDateTime,
        };
    }

    public override async Task<IReadOnlyList<OutboxMessage>> ReadPendingAsync(int max, CancellationToken cancellationToken)
    {
        var pending = new List<OutboxMessage>();
        foreach (var name in collections)
        {
            var documents = await database.GetCollection<BsonDocument>(name)
                .Find(Builders<BsonDocument>.Filter.SizeGt(Field, 0))
                .Project(Builders<BsonDocument>.Projection.Include(Field))
                .Limit(max)
                .ToListAsync(cancellationToken);
            pending.AddRange(documents.SelectMany(d => d[Field].AsBsonArray.Select(e => e.AsBsonDocument)).Select(e =>
                new OutboxMessage(
                    Guid.Parse(e["_id"].AsString),
                    e["type"].AsString,
                    e["payload"].AsString,
                    new DateTimeOffset(e["occurredAt"].ToUniversalTime()))));
        }

        return pending.OrderBy(m => m.OccurredAt).Take(max).ToArray();
    }

    public override async Task MarkDispatchedAsync(IReadOnlyCollection<Guid> eventIds, CancellationToken cancellationToken)
    {
        if (eventIds.Count == 0)
        {
            return;
        }

        var ids = new BsonArray(eventIds.Select(id => id.ToString()));
        var filter = Builders<BsonDocument>.Filter.In($"{Field}._id", ids);
        var pull = Builders<BsonDocument>.Update.PullFilter(
            Field, Builders<BsonDocument>.Filter.In("_id", ids));
        foreach (var name in collections)
        {
            await database.GetCollection<BsonDocument>(name).UpdateManyAsync(filter, pull, cancellationToken: cancellationToken);
        }
    }
}
