using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MongoDB.Driver;

namespace Lmis.BuildingBlocks.Storage;

/// <summary>
/// A service's store, registered without touching its database: the store is opened when first asked for, and its
/// schema (<see cref="IStoreSchema"/>) is created by a hosted initializer that starts before every other hosted
/// service (outbox dispatchers, consumers, catch-ups) and before the server takes requests.
/// </summary>
public static class StoreRegistration
{
    public static IServiceCollection AddStore<TStore>(
        this IServiceCollection services, StorageLocation location, Func<IMongoDatabase, TStore> onMongo, Func<string, TStore> onSqliteFile)
        where TStore : class
    {
        services.AddSingleton(_ => location.Open(onMongo, onSqliteFile));
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(sp => new SchemaInitializer(sp.GetRequiredService<TStore>())));
        return services;
    }

    /// <summary>The same for a store registered under a key (one per service in a shared process).</summary>
    public static IServiceCollection AddKeyedStore<TStore>(
        this IServiceCollection services, object key, StorageLocation location, Func<IMongoDatabase, TStore> onMongo, Func<string, TStore> onSqliteFile)
        where TStore : class
    {
        services.AddKeyedSingleton(key, (_, _) => location.Open(onMongo, onSqliteFile));
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(sp => new SchemaInitializer(sp.GetRequiredKeyedService<TStore>(key))));
        return services;
    }

    private sealed class SchemaInitializer(object store) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            (store as IStoreSchema)?.CreateSchema();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
