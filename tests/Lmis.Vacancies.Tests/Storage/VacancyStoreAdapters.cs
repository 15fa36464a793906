using Lmis.BuildingBlocks.Storage;
using Lmis.Testing;
using Lmis.Vacancies.Storage;

namespace Lmis.Vacancies.Tests.Storage;

public sealed class SqliteVacancyStoreTests : VacancyStoreConformance, IDisposable
{
    private readonly TempDirectory _directory = new("vacancies-sqlite");

    protected override IVacancyStore CreateStore() =>
        new SqliteVacancyStore(SqliteDatabase.Create(Path.Combine(_directory.Path, $"{Guid.NewGuid():N}.db"), SqliteVacancyStore.Schema, SqliteVacancyStore.Upgrade));

    public void Dispose() => _directory.Dispose();
}

public sealed class MongoVacancyStoreTests : VacancyStoreConformance
{
    protected override IVacancyStore CreateStore() =>
        new MongoVacancyStore(MongoDatabaseFactory.Open(MongoServer.RequireConnectionString(), MongoServer.UniqueDatabase("vacancies"))).WithSchema();
}
