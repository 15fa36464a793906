using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using MongoDB.Driver;

namespace Lmis.BuildingBlocks.Storage;

/// <summary>
/// Where a service keeps its data. MongoDB (production) when <c>ConnectionStrings:&lt;database&gt;</c> is set;
/// otherwise the embedded default, a SQLite file <c>&lt;database&gt;.db</c> under <c>Lmis:DataDirectory</c>
/// (default: <c>data</c> under the process's content root), so the stack runs with nothing installed.
/// </summary>
public sealed record StorageLocation(string Database, string? MongoConnectionString, string? SqliteFile)
{
    public bool IsMongo => MongoConnectionString is not null;

    public static StorageLocation For(IHostApplicationBuilder builder, string database)
    {
        var mongo = builder.Configuration.GetConnectionString(database);
        if (!string.IsNullOrWhiteSpace(mongo))
        {
            return new StorageLocation(database, mongo, null);
        }

        var directory = builder.Configuration["Lmis:DataDirectory"];
        directory = string.IsNullOrWhiteSpace(directory)
            ? Path.Combine(builder.Environment.ContentRootPath, "data")
            : Path.GetFullPath(directory, builder.Environment.ContentRootPath);
        Directory.CreateDirectory(directory);
        return new StorageLocation(database, null, Path.Combine(directory, database + ".db"));
    }

    /// <summary>Opens the service's store on whichever of the two this location is.</summary>
    public TStore Open<TStore>(Func<IMongoDatabase, TStore> onMongo, Func<string, TStore> onSqliteFile) =>
        IsMongo ? onMongo(MongoDatabaseFactory.Open(MongoConnectionString!, Database)) : onSqliteFile(SqliteFile!);

    public override string ToString() =>
        IsMongo ? $"MongoDB database '{Database}'" : $"SQLite file {SqliteFile}";
}
