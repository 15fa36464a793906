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
        var entry = new BsonDocument
        {
            ["_id"] = message.EventId.ToString(),
            ["type"] = message.EventType,
            ["payload"] = message.Payload,
            ["occurredAt"] = message.OccurredAt.UtcDateTime,
        };
        // The writing call's trace context, so the event is published within that call's trace.
        if (message.TraceParent is not null)
        {
            entry["traceparent"] = message.TraceParent;
        }

        if (message.TraceState is not null)
        {
            entry["tracestate"] = message.TraceState;
        }

        return entry;
    }

    private static OutboxMessage Read(BsonDocument entry) =>
        new(
            Guid.Parse(entry["_id"].AsString),
            entry["type"].AsString,
            entry["payload"].AsString,
            new DateTimeOffset(entry["occurredAt"].ToUniversalTime()))
        {
            TraceParent = entry.TryGetValue("traceparent", out var parent) && parent.IsString ? parent.AsString : null,
            TraceState = entry.TryGetValue("tracestate", out var state) && state.IsString ? state.AsString : null,
        };

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
            pending.AddRange(documents.SelectMany(d => d[Field].AsBsonArray.Select(e => Read(e.AsBsonDocument))));
        }

        return pending.OrderBy(m => m.OccurredAt).Take(max).ToArray();
    }

    public override async Task<OutboxBacklog> MeasureAsync(CancellationToken cancellationToken)
    {
        long pending = 0;
        DateTime? oldest = null;
        foreach (var name in collections)
        {
            // One pass on the server: the number of pending events and the earliest of their times.
            var totals = await database.GetCollection<BsonDocument>(name).Aggregate()
                .Match(Builders<BsonDocument>.Filter.SizeGt(Field, 0))
                .Unwind(Field)
                .Group(new BsonDocument
                {
                    ["_id"] = BsonNull.Value,
                    ["pending"] = new BsonDocument("$sum", 1),
                    ["oldest"] = new BsonDocument("$min", $"${Field}.occurredAt"),
                })
                .FirstOrDefaultAsync(cancellationToken);
            if (totals is null)
            {
                continue;
            }

            pending += totals["pending"].ToInt64();
            var earliest = totals["oldest"].ToUniversalTime();
            oldest = oldest is { } known && known <= earliest ? known : earliest;
        }

        return new OutboxBacklog(pending, oldest is { } at ? new DateTimeOffset(at) : null);
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
