using Xunit;

namespace Lmis.Testing;

/// <summary>
/// The MongoDB server the MongoDB adapters' conformance runs use: <c>LMIS_TEST_MONGODB</c> (a connection string).
/// Without it those runs are skipped, saying why.
/// </summary>
public static class MongoServer
{
    public const string Variable = "LMIS_TEST_MONGODB";

    public static string RequireConnectionString()
    {
        var connectionString = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Assert.Skip($"No MongoDB server: set {Variable} (e.g. mongodb://localhost:27017) to run the MongoDB adapter against the same conformance suite.");
        }

        return connectionString!;
    }

    /// <summary>A database name no other test run uses.</summary>
    public static string UniqueDatabase(string service) => $"lmis_test_{service}_{Guid.NewGuid():N}"[..40];
}
