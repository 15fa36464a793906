using Lmis.Access.Storage;
using Lmis.BuildingBlocks.Security;

namespace Lmis.Access.Keys;

/// <summary>
/// Somebody has to issue the first key. At start, when <c>Lmis:Access:SecretariatKey</c> is set (a secret of at
/// least 32 characters, from a secret store or the environment), it is registered as a secretariat key. When it is
/// not set and no key exists yet, a secretariat key is generated and written to the file
/// <c>secretariat.key</c> in the data directory, readable by the service's user only — never to the log.
/// </summary>
public sealed class FirstSecretariatKey(
    ApiKeys keys, IApiKeyStore store, IConfiguration configuration, IHostEnvironment environment, ILogger<FirstSecretariatKey> logger)
    : IHostedService
{
    public const string ConfigurationKey = "Lmis:Access:SecretariatKey";
    public const string FileName = "secretariat.key";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var configured = configuration[ConfigurationKey];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (configured.Length < 32)
            {
                throw new InvalidOperationException($"{ConfigurationKey} must be a random secret of at least 32 characters.");
            }

            await keys.RegisterAsync("secretariat (configured)", AccessRoles.Secretariat, null, configured, cancellationToken);
            return;
        }

        if (await store.AnyAsync(cancellationToken))
        {
            return;
        }

        var directory = configuration["Lmis:DataDirectory"];
        directory = string.IsNullOrWhiteSpace(directory)
            ? Path.Combine(environment.ContentRootPath, "data")
            : Path.GetFullPath(directory, environment.ContentRootPath);
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, FileName);
        var secret = Keys.ApiKeyRecord.NewSecret();
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var writer = new StreamWriter(file, options))
        {
            await writer.WriteLineAsync(secret);
        }

        await keys.RegisterAsync("secretariat (first key)", AccessRoles.Secretariat, null, secret, cancellationToken);
        logger.LogWarning("No API key existed: a secretariat key was written to {File}. Use it to issue the ministries' keys, then rotate it.", file);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
