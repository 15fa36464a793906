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

/// <summary>
/// The first secretariat key of a fresh install: written to a file only its owner reads, never to the log; the file
/// follows the key when it is rotated and goes when it is revoked, so it never holds a dead key.
/// </summary>
public sealed class FirstSecretariatKeyTests : IDisposable
{
    private readonly TempDirectory _data = new("first-key");
    private readonly SqliteApiKeyStore _store;
    private readonly SecretariatKeyFile _file;
    private readonly ApiKeys _keys;
    private readonly ListLogger _log = new();

    public FirstSecretariatKeyTests()
    {
        _store = new SqliteApiKeyStore(SqliteDatabase.Create(Path.Combine(_data.Path, "accessdb.db"), SqliteApiKeyStore.Schema));
        _file = SecretariatKeyFile.For(Configuration, new Environment(_data.Path));
        _keys = new ApiKeys(_store, Region.FromConfiguration(new ConfigurationBuilder().Build()), TimeProvider.System, _file);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IConfiguration Configuration =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Lmis:DataDirectory"] = _data.Path }).Build();

    private string FilePath => Path.Combine(_data.Path, FirstSecretariatKey.FileName);

    private Task StartAsync() => new FirstSecretariatKey(_keys, _store, Configuration, _file, _log).StartAsync(Ct);

    private async Task<(string Secret, ApiKeyRecord Key)> FirstKeyAsync()
    {
        await StartAsync();
        var secret = (await File.ReadAllTextAsync(FilePath, Ct)).Trim();
        return (secret, Assert.Single(await _store.ListAsync(null, includeRevoked: true, Ct)));
    }

    private void AssertOwnerOnly()
    {
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(FilePath));
        }
    }

    [Fact]
    public async Task A_fresh_install_writes_one_secretariat_key_to_a_private_file_and_not_to_the_log()
    {
        await StartAsync();
        await StartAsync();

        var secret = (await File.ReadAllTextAsync(FilePath, Ct)).Trim();
        var holder = await _keys.VerifyAsync(secret, "test", Ct);
        Assert.Equal(AccessRoles.Secretariat, holder?.FindFirst(AccessClaims.Role)?.Value);
        Assert.Single(await _store.ListAsync(null, includeRevoked: true, Ct));
        AssertOwnerOnly();
        Assert.Contains(_log.Lines, l => l.Contains(FilePath, StringComparison.Ordinal));
        Assert.DoesNotContain(_log.Lines, l => l.Contains(secret, StringComparison.Ordinal));
        Assert.Null(await _keys.VerifyAsync(secret + "x", "test", Ct));
    }

    [Fact]
    public async Task Rotating_the_first_secretariat_key_rewrites_its_file_with_the_new_secret_privately_and_leaves_no_temporary_file()
    {
        var (first, key) = await FirstKeyAsync();

        var (_, second) = await _keys.RotateAsync(key.Id, "secretariat-test", Ct);

        Assert.Equal(second + "\n", await File.ReadAllTextAsync(FilePath, Ct));
        AssertOwnerOnly();
        Assert.Null(await _keys.VerifyAsync(first, "test", Ct));
        Assert.NotNull(await _keys.VerifyAsync(second, "test", Ct));
        Assert.Empty(Directory.GetFiles(_data.Path, "*.tmp"));
    }

    [Fact]
    public async Task Revoking_the_first_secretariat_key_removes_its_file()
    {
        var (first, key) = await FirstKeyAsync();
        var (rotated, second) = await _keys.RotateAsync(key.Id, "secretariat-test", Ct);

        await _keys.RevokeAsync(rotated.Id, "secretariat-test", Ct);

        Assert.False(File.Exists(FilePath));
        Assert.Null(await _keys.VerifyAsync(first, "test", Ct));
        Assert.Null(await _keys.VerifyAsync(second, "test", Ct));
    }

    [Fact]
    public async Task Rotating_or_revoking_another_key_leaves_the_first_secretariat_key_s_file_as_it_was()
    {
        var (first, _) = await FirstKeyAsync();
        var (publisher, _) = await _keys.CreateAsync("MINTRAB Guatemala feed", AccessRoles.Publisher, "GTM", "secretariat-test", Ct);

        var (rotated, _) = await _keys.RotateAsync(publisher.Id, "secretariat-test", Ct);
        await _keys.RevokeAsync(rotated.Id, "secretariat-test", Ct);

        Assert.Equal(first + "\n", await File.ReadAllTextAsync(FilePath, Ct));
        Assert.NotNull(await _keys.VerifyAsync(first, "test", Ct));
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
