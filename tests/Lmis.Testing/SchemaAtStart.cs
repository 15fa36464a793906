using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lmis.Testing;

/// <summary>
/// What a service's start does to its SQLite files, seen from outside: its services are registered as its
/// <c>Program.cs</c> registers them (on a test server, in a fresh data folder), the host is built and its hosted
/// services resolved, then the host is started and no request is made.
/// </summary>
/// <param name="FilesAfterRegistration">The database files that existed once registration was over: none expected.</param>
/// <param name="HostedServices">The hosted services' type names, in the order the host starts them.</param>
/// <param name="TablesAfterStart">Each database's tables once the host had started, before any request.</param>
public sealed record SchemaAtStart(
    IReadOnlyList<string> FilesAfterRegistration,
    IReadOnlyList<string> HostedServices,
    IReadOnlyDictionary<string, IReadOnlyList<string>> TablesAfterStart)
{
    /// <summary>The type name of the hosted service that creates the stores' schemas.</summary>
    public const string Initializer = "SchemaInitializer";

    public static async Task<SchemaAtStart> ObserveAsync(Action<WebApplicationBuilder> register, params string[] databases)
    {
        using var data = new TempDirectory("schema-at-start");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Configuration["Lmis:DataDirectory"] = data.Path;
        builder.Configuration[BuildingBlocks.Security.GatewayTokens.ConfigurationKey] = TestCaller.NewGatewayTokenKey();
        register(builder);

        await using var app = builder.Build();
        var hosted = app.Services.GetServices<IHostedService>().Select(s => s.GetType().Name).ToArray();
        string File(string database) => System.IO.Path.Combine(data.Path, database + ".db");
        var existing = databases.Where(d => System.IO.File.Exists(File(d))).ToArray();

        await app.StartAsync(Xunit.TestContext.Current.CancellationToken);
        var tables = databases.ToDictionary(d => d, d => Tables(File(d)));
        await app.StopAsync(Xunit.TestContext.Current.CancellationToken);
        SqliteConnection.ClearAllPools();
        return new SchemaAtStart(existing, hosted, tables);
    }

    /// <summary>
    /// The hosted services that start before a schema initializer has run (the web server among them, were it so):
    /// none expected, so no outbox dispatcher, consumer, warm-up, seeding or request meets a missing table.
    /// </summary>
    public IReadOnlyList<string> StartedBeforeTheSchema()
    {
        var last = HostedServices.ToList().LastIndexOf(Initializer);
        return [.. HostedServices.Take(last + 1).Where(n => n != Initializer)];
    }

    private static IReadOnlyList<string> Tables(string file)
    {
        if (!System.IO.File.Exists(file))
        {
            return [];
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
