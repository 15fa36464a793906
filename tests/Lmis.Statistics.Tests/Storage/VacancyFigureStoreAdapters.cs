using Lmis.BuildingBlocks.Storage;
using Lmis.Statistics.Storage;
using Lmis.Testing;

namespace Lmis.Statistics.Tests.Storage;

public sealed class SqliteVacancyFigureStoreTests : VacancyFigureStoreConformance, IDisposable
{
    private readonly TempDirectory _directory = new("statistics-sqlite");

    protected override IVacancyFigureStore CreateStore() =>
        new SqliteVacancyFigureStore(SqliteDatabase.Create(Path.Combine(_directory.Path, $"{Guid.NewGuid():N}.db"), SqliteVacancyFigureStore.Schema, SqliteVacancyFigureStore.Upgrade));

    public void Dispose() => _directory.Dispose();
}

public sealed class MongoVacancyFigureStoreTests : VacancyFigureStoreConformance
{
    protected override IVacancyFigureStore CreateStore() =>
        new MongoVacancyFigureStore(MongoDatabaseFactory.Open(MongoServer.RequireConnectionString(), MongoServer.UniqueDatabase("statistics"))).WithSchema();
}
