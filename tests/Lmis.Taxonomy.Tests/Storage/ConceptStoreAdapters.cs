using Lmis.BuildingBlocks.Storage;
using Lmis.Taxonomy.Storage;
using Lmis.Testing;

namespace Lmis.Taxonomy.Tests.Storage;

public sealed class SqliteConceptStoreTests : ConceptStoreConformance, IDisposable
{
    private readonly TempDirectory _directory = new("taxonomy-sqlite");

    protected override IConceptStore CreateStore() =>
        new SqliteConceptStore(SqliteDatabase.Create(Path.Combine(_directory.Path, $"{Guid.NewGuid():N}.db"), SqliteConceptStore.Schema));

    public void Dispose() => _directory.Dispose();
}

public sealed class MongoConceptStoreTests : ConceptStoreConformance
{
    protected override IConceptStore CreateStore() =>
        new MongoConceptStore(MongoDatabaseFactory.Open(MongoServer.RequireConnectionString(), MongoServer.UniqueDatabase("taxonomy"))).WithSchema();
}
