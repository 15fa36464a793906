namespace Lmis.BuildingBlocks.Storage;

/// <summary>
/// A store whose tables, collections and indexes exist once <see cref="CreateSchema"/> has run: at start, by the
/// initializer <see cref="StoreRegistration.AddStore{TStore}"/> registers, before the service takes requests. Idempotent.
/// </summary>
public interface IStoreSchema
{
    void CreateSchema();
}

public static class StoreSchemaExtensions
{
    /// <summary>The store with its schema created: for tests and tools that open a store themselves.</summary>
    public static TStore WithSchema<TStore>(this TStore store)
        where TStore : IStoreSchema
    {
        store.CreateSchema();
        return store;
    }
}
