using System.Text.Json;
using Lmis.Testing;

namespace Lmis.EndToEnd.Tests.Cli;

/// <summary><c>lmis keys issue|list|rotate|revoke</c>: the secretariat hands ministries their keys and takes them back.</summary>
[Collection(LmisCommandCollection.Name)]
public sealed class KeysCommandTests(StandaloneStack stack) : IDisposable
{
    private readonly TempDirectory _files = new("lmis-keys");

    private LmisCommand Lmis => new(Path.Combine(_files.Path, "config"));

    private Task<LmisRun> AsSecretariatAsync(params string[] arguments) => Lmis.RunAsync(stack.SecretariatKey, [.. arguments, "--server", stack.GrpcUrl]);

    // Costa Rica: no other test of this stack holds its keys, so a list of them holds this test's alone.
    [Fact]
    public async Task A_key_is_issued_once_used_rotated_and_revoked()
    {
        var keyFile = Path.Combine(_files.Path, "cri.key");

        var shown = await AsSecretariatAsync("keys", "issue", "--name", "MTSS Costa Rica feed", "--role", "publisher", "--country", "CRI");
        var saved = await AsSecretariatAsync("keys", "issue", "--name", "MTSS Costa Rica statistics", "--country", "CRI", "--new-key-file", keyFile, "--output", "json");
        var notOverwritten = await AsSecretariatAsync("keys", "issue", "--name", "again", "--country", "CRI", "--new-key-file", keyFile);
        var secret = shown.Output.Trim();
        var listed = await AsSecretariatAsync("keys", "list", "--country", "CRI", "--output", "json");
        var id = Keys(listed).Single(k => k.GetProperty("name").GetString() == "MTSS Costa Rica feed").GetProperty("id").GetString()!;
        var feed = Path.Combine(_files.Path, "cri.csv");
        await File.WriteAllTextAsync(feed, "country,source_id,title,occupation_code\nCRI,MTSS-1,Albañil,7112\n", TestContext.Current.CancellationToken);
        var usedByMinistry = await Lmis.RunAsync(secret, "vacancies", "check", feed, "--server", stack.GrpcUrl);
        var managingKeys = await Lmis.RunAsync(secret, "keys", "list", "--server", stack.GrpcUrl);
        var rotated = await AsSecretariatAsync("keys", "rotate", id);
        var oldKeyAfterRotation = await Lmis.RunAsync(secret, "vacancies", "check", feed, "--server", stack.GrpcUrl);
        var afterRotation = await AsSecretariatAsync("keys", "list", "--country", "CRI", "--include-revoked", "--output", "json");
        var newId = Keys(afterRotation).Single(k => k.TryGetProperty("rotatedFrom", out var from) && from.GetString() == id).GetProperty("id").GetString()!;
        var revoked = await AsSecretariatAsync("keys", "revoke", newId, "--output", "csv");
        var afterRevoking = await AsSecretariatAsync("keys", "list", "--country", "CRI", "--output", "json");

        Assert.True(shown.ExitCode == 0, shown.All);
        Assert.StartsWith("lmis_", secret, StringComparison.Ordinal);
        Assert.Single(shown.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("shown this once", shown.Errors, StringComparison.Ordinal);
        Assert.True(saved.ExitCode == 0, saved.All);
        var fileKey = (await File.ReadAllTextAsync(keyFile, TestContext.Current.CancellationToken)).Trim();
        Assert.StartsWith("lmis_", fileKey, StringComparison.Ordinal);
        Assert.DoesNotContain(fileKey, saved.Output + saved.Errors, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }

        Assert.True(notOverwritten.ExitCode == 2, notOverwritten.All);
        Assert.Equal(fileKey, (await File.ReadAllTextAsync(keyFile, TestContext.Current.CancellationToken)).Trim());
        Assert.True(listed.ExitCode == 0, listed.All);
        Assert.Equal(2, Keys(listed).Count);
        Assert.DoesNotContain("lmis_", listed.Output, StringComparison.Ordinal);
        Assert.True(usedByMinistry.ExitCode == 0, usedByMinistry.All);
        Assert.True(managingKeys.ExitCode == 4, "a member state's key manages no keys: " + managingKeys.All);
        Assert.True(rotated.ExitCode == 0, rotated.All);
        Assert.StartsWith("lmis_", rotated.Output.Trim(), StringComparison.Ordinal);
        Assert.NotEqual(secret, rotated.Output.Trim());
        Assert.True(oldKeyAfterRotation.ExitCode == 4, "a rotated key is refused: " + oldKeyAfterRotation.All);
        Assert.Equal(3, Keys(afterRotation).Count);
        Assert.NotEmpty(Keys(afterRotation).Single(k => k.GetProperty("id").GetString() == id).GetProperty("revokedAt").GetString()!);
        Assert.True(revoked.ExitCode == 0, revoked.All);
        Assert.Contains(newId + ",MTSS Costa Rica feed,publisher,CRI,", revoked.Output, StringComparison.Ordinal);
        Assert.Equal(["MTSS Costa Rica statistics"], Keys(afterRevoking).Select(k => k.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task A_member_states_key_issues_nothing_and_gets_exit_code_4()
    {
        var run = await Lmis.RunAsync(await stack.PublisherKeyAsync("MEX"), "keys", "issue", "--name", "mine", "--country", "GTM", "--server", stack.GrpcUrl);
        var anonymous = await Lmis.RunAsync(null, "keys", "list", "--server", stack.GrpcUrl);
        var noCountry = await AsSecretariatAsync("keys", "issue", "--name", "no country");

        Assert.True(run.ExitCode == 4, run.All);
        Assert.Contains("secretariat key", run.Errors, StringComparison.Ordinal);
        Assert.Empty(run.Output);
        Assert.True(anonymous.ExitCode == 4, anonymous.All);
        Assert.True(noCountry.ExitCode == 1, noCountry.All);
        Assert.Contains("a publisher key needs the member state it writes for", noCountry.Errors, StringComparison.Ordinal);
    }

    private static List<JsonElement> Keys(LmisRun run) =>
        JsonDocument.Parse(run.Output).RootElement.TryGetProperty("keys", out var keys) ? [.. keys.EnumerateArray()] : [];

    public void Dispose() => _files.Dispose();
}
