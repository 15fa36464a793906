namespace Lmis.Access.Keys;

/// <summary>
/// <c>secretariat.key</c> in the data directory: where a fresh install leaves its first secretariat key. The file
/// follows that key: rotated, it holds the new secret; revoked, it is gone — it never holds a dead key. Which key it
/// holds is told by the hash of its content, so nothing else needs to remember it.
/// </summary>
public sealed class SecretariatKeyFile(string path, ILogger? logger = null)
{
    public const string FileName = "secretariat.key";

    public string Path { get; } = path;

    public static SecretariatKeyFile For(IConfiguration configuration, IHostEnvironment environment, ILogger? logger = null)
    {
        var directory = configuration["Lmis:DataDirectory"];
        directory = string.IsNullOrWhiteSpace(directory)
            ? System.IO.Path.Combine(environment.ContentRootPath, "data")
            : System.IO.Path.GetFullPath(directory, environment.ContentRootPath);
        return new SecretariatKeyFile(System.IO.Path.Combine(directory, FileName), logger);
    }

    /// <summary>Writes the secret, readable by the service's user only, replacing any earlier file at once.</summary>
    public async Task WriteAsync(string secret, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        // Written beside the file and renamed over it: a reader sees the old secret or the new one, never half of one.
        var temporary = $"{Path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            await using (var writer = new StreamWriter(temporary, options))
            {
                await writer.WriteLineAsync(secret.AsMemory(), cancellationToken);
                await writer.FlushAsync(cancellationToken);
                ((FileStream)writer.BaseStream).Flush(flushToDisk: true);
            }

            File.Move(temporary, Path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Whether the file holds the secret of the key with this hash.</summary>
    public async Task<bool> HoldsAsync(string secretHash, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            return false;
        }

        var secret = (await File.ReadAllTextAsync(Path, cancellationToken)).Trim();
        return secret.Length > 0 && ApiKeyRecord.HashOf(secret) == secretHash;
    }

    /// <summary>After a rotation: the new secret replaces the old one if the file held it.</summary>
    public Task FollowRotationAsync(ApiKeyRecord old, string newSecret, CancellationToken cancellationToken) =>
        FollowAsync(old, () => WriteAsync(newSecret, cancellationToken), cancellationToken);

    /// <summary>After a revocation: the file goes if it held the revoked key.</summary>
    public Task FollowRevocationAsync(ApiKeyRecord revoked, CancellationToken cancellationToken) =>
        FollowAsync(revoked, () =>
        {
            File.Delete(Path);
            return Task.CompletedTask;
        }, cancellationToken);

    /// <summary>
    /// The key change is already stored and its new secret is the caller's answer: a file that cannot be changed is
    /// reported to the operator, not turned into a failed call that would lose the new secret.
    /// </summary>
    private async Task FollowAsync(ApiKeyRecord key, Func<Task> change, CancellationToken cancellationToken)
    {
        try
        {
            if (await HoldsAsync(key.SecretHash, cancellationToken))
            {
                await change();
                logger?.LogInformation("{File} now follows the secretariat key {KeyId}.", Path, key.Id);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger?.LogError(e, "{File} still holds the secret of key {KeyId}, which is no longer valid: remove the file.", Path, key.Id);
        }
    }
}
