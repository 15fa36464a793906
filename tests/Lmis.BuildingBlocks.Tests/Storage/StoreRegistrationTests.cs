using Lmis.Access.Storage;
using Lmis.BuildingBlocks.Audit;
using Lmis.BuildingBlocks.Storage;
using Lmis.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lmis.BuildingBlocks.Tests.Storage;

public sealed class StoreRegistrationTests : IDisposable
{
    private readonly TempDirectory _data = new("store-registration");

    private string File => Path.Combine(_data.Path, "accessdb.db");

    [Fact]
    public async Task A_store_registered_and_even_resolved_touches_no_database_and_its_schema_exists_before_any_other_hosted_service_starts()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration["Lmis:DataDirectory"] = _data.Path;
        // Registered ahead of the stores, yet started after their schema is created.
        var probe = new TablesAtStart(File);
        builder.Services.AddSingleton<IHostedService>(probe);
        var location = StorageLocation.For(builder, "accessdb");
        builder.Services.AddStore<IApiKeyStore>(location,
            mongo => new MongoApiKeyStore(mongo), file => new SqliteApiKeyStore(new SqliteDatabase(file, SqliteApiKeyStore.Schema)));
        builder.Services.AddKeyedStore<AuditTrail>("access", location,
            mongo => new MongoAuditTrail(mongo), file => new SqliteAuditTrail(new SqliteDatabase(file, SqliteAuditTrail.Schema)));

        using var host = builder.Build();
        host.Services.GetRequiredService<IApiKeyStore>();
        host.Services.GetRequiredKeyedService<AuditTrail>("access");
        host.Services.GetServices<IHostedService>();
        Assert.False(System.IO.File.Exists(File));

        await host.StartAsync(ct);
        await host.StopAsync(ct);

        Assert.Superset(new HashSet<string> { "api_keys", "audit_trail", "outbox" }, new HashSet<string>(probe.Tables));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _data.Dispose();
    }

    /// <summary>A hosted service that notes which tables the file has when it starts.</summary>
    private sealed class TablesAtStart(string file) : IHostedService
    {
        public List<string> Tables { get; } = [];

        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (System.IO.File.Exists(file))
            {
                using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    Tables.Add(reader.GetString(0));
                }
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
