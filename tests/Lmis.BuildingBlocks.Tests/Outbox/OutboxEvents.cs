using Lmis.BuildingBlocks.Outbox;
using Lmis.BuildingBlocks.Storage;
using Lmis.Contracts.Events;
using Microsoft.Data.Sqlite;

namespace Lmis.BuildingBlocks.Tests.Outbox;

/// <summary>Events written into a SQLite outbox as a service writes them: inside a transaction, with its change.</summary>
internal static class OutboxEvents
{
    public static TaxonomyVersionReleased Released(DateTimeOffset at) => new(Guid.NewGuid(), at, "isco08", 1, 10);

    public static async Task WriteAsync(SqliteDatabase database, params IIntegrationEvent[] events)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        foreach (var integrationEvent in events)
        {
            await SqliteOutbox.EnqueueAsync(connection, transaction, integrationEvent, CancellationToken.None);
        }

        await transaction.CommitAsync();
    }
}
