using Lmis.Access.Keys;
using Lmis.Access.Storage;
using Lmis.BuildingBlocks.MemberStates;
using Lmis.BuildingBlocks.Security;
using Lmis.BuildingBlocks.Storage;
using Lmis.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lmis.BuildingBlocks.Tests.Access;

/// <summary>The first secretariat key of a fresh install: written to a file only its owner reads, never to the log.</summary>
public sealed class FirstSecretariatKeyTests : IDisposable
{
    private readonly TempDirectory _data = new("first-key");

    [Fact]
    public async Task A_fresh_install_writes_one_secretariat_key_to_a_private_file_and_not_to_the_log()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new SqliteApiKeyStore(new SqliteDatabase(Path.Combine(_data.Path, "accessdb.db"), SqliteApiKeyStore.Schema));
        var keys = new ApiKeys(store, Region.FromConfiguration(new ConfigurationBuilder().Build()), TimeProvider.System);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Lmis:DataDirectory"] = _data.Path }).Build();
        var log = new ListLogger();

        await new FirstSecretariatKey(keys, store, configuration, new Environment(_data.Path), log).StartAsync(ct);
        await new FirstSecretariatKey(keys, store, configuration, new Environment(_data.Path), log).StartAsync(ct);

        var file = Path.Combine(_data.Path, FirstSecretariatKey.FileName);
        var secret = (await File.ReadAllTextAsync(file, ct)).Trim();
        var holder = await keys.VerifyAsync(secret, "test", ct);
        Assert.Equal(AccessRoles.Secretariat, holder?.FindFirst(AccessClaims.Role)?.Value);
        Assert.Single(await store.ListAsync(null, includeRevoked: true, ct));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.Contains(log.Lines, l => l.Contains(file, StringComparison.Ordinal));
        Assert.DoesNotContain(log.Lines, l => l.Contains(secret, StringComparison.Ordinal));
        Assert.Null(await keys.VerifyAsync(secret + "x", "test", ct));
    }

    public void Dispose() => _data.Dispose();

    private sealed class Environment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";

        public string ApplicationName { get; set; } = "test";

        public string ContentRootPath { get; set; } = root;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    private sealed class ListLogger : ILogger<FirstSecretariatKey>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
