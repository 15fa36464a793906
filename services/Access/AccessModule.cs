using Lmis.Access.Grpc;
using Lmis.Access.Keys;
using Lmis.Access.Storage;
using Lmis.BuildingBlocks.Errors;
using Lmis.BuildingBlocks.Security;
using Lmis.BuildingBlocks.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Lmis.Access;

/// <summary>
/// API keys: issued and managed by the secretariat through <see cref="AccessGrpcService"/>, checked on every call by
/// <see cref="ApiKeys"/> (so a revocation takes effect at once), kept as hashes in <see cref="IApiKeyStore"/>.
/// Hosted where callers arrive: the gateway, or the standalone host.
/// </summary>
public static class AccessModule
{
    /// <summary>Database name: <c>ConnectionStrings:accessdb</c> for MongoDB, else <c>accessdb.db</c> (SQLite).</summary>
    public const string Database = "accessdb";

    public const string Service = "access";

    public static IHostApplicationBuilder AddAccess(this IHostApplicationBuilder builder)
    {
        builder.Services.AddStore<IApiKeyStore>(StorageLocation.For(builder, Database),
            mongo => new MongoApiKeyStore(mongo),
            file => new SqliteApiKeyStore(new SqliteDatabase(file, SqliteApiKeyStore.Schema)));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => SecretariatKeyFile.For(
            sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>(), sp.GetRequiredService<ILogger<SecretariatKeyFile>>()));
        builder.Services.AddSingleton<ApiKeys>();
        builder.Services.AddSingleton<IApiKeyVerifier>(sp => sp.GetRequiredService<ApiKeys>());
        builder.Services.AddHostedService<FirstSecretariatKey>();
        builder.AddServiceApi(Service, Database);
        return builder;
    }

    public static WebApplication MapAccess(this WebApplication app)
    {
        app.UseServiceApi();
        app.MapGrpcService<AccessGrpcService>();
        return app;
    }
}
