using Lmis.Access.Storage;
using Lmis.BuildingBlocks.Audit;
using Lmis.BuildingBlocks.Storage;
using Lmis.Testing;

namespace Lmis.BuildingBlocks.Tests.Storage;

public sealed class SqliteApiKeyStoreTests : ApiKeyStoreConformance, IDisposable
{
    private readonly TempDirectory _directory = new("access-sqlite");

    protected override IApiKeyStore CreateStore() =>
        new SqliteApiKeyStore(SqliteDatabase.Create(Path.Combine(_directory.Path, $"{Guid.NewGuid():N}.db"), SqliteApiKeyStore.Schema));

    public void Dispose() => _directory.Dispose();
}

public sealed class MongoApiKeyStoreTests : ApiKeyStoreConformance
{
    protected override IApiKeyStore CreateStore() =>
        new MongoApiKeyStore(MongoDatabaseFactory.Open(MongoServer.RequireConnectionString(), MongoServer.UniqueDatabase("access"))).WithSchema();
}

public sealed class SqliteAuditTrailTests : AuditTrailConformance, IDisposable
{
    private readonly TempDirectory _directory = new("audit-sqlite");

    protected override AuditTrail CreateTrail() =>
        new SqliteAuditTrail(SqliteDatabase.Create(Path.Combine(_directory.Path, $"{Guid.NewGuid():N}.db"), SqliteAuditTrail.Schema));

    public void Dispose() => _directory.Dispose();
}

public sealed class MongoAuditTrailTests : AuditTrailConformance
{
    protected override AuditTrail CreateTrail() =>
        new MongoAuditTrail(MongoDatabaseFactory.Open(MongoServer.RequireConnectionString(), MongoServer.UniqueDatabase("audit")));
}
