using MongoDB.Driver;

namespace Lmis.BuildingBlocks.Storage;

public static class MongoDatabaseFactory
{
    /// <summary>
    /// Opens the database a connection string names (its path, as Aspire writes it); a connection string with no
    /// database in it gets the service's own database name.
    /// </summary>
    public static IMongoDatabase Open(string connectionString, string defaultDatabase)
    {
        var url = MongoUrl.Create(connectionString);
        var client = new MongoClient(url);
        return client.GetDatabase(string.IsNullOrEmpty(url.DatabaseName) ? defaultDatabase : url.DatabaseName);
    }
}
