using Lmis.Access.Storage;
using Lmis.BuildingBlocks.Security;

namespace Lmis.Access.Keys;

/// <summary>
/// Somebody has to issue the first key. At start, when <c>Lmis:Access:SecretariatKey</c> is set (a secret of at
/// least 32 characters, from a secret store or the environment), it is registered as a secretariat key. When it is
/// not set and no key exists yet, a secretariat key is generated and written to the <see cref="SecretariatKeyFile"/>
/// in the data directory, readable by the service's user only — never to the log.
/// </summary>
public sealed class FirstSecretariatKey(
    ApiKeys keys, IApiKeyStore store, IConfiguration configuration, SecretariatKeyFile file, ILogger<FirstSecretariatKey> logger)
    : IHostedService
{
    public const string ConfigurationKey = "Lmis:Access:SecretariatKey";
    public const string FileName = SecretariatKeyFile.FileName;

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

        var secret = Keys.ApiKeyRecord.NewSecret();
        await file.WriteAsync(secret, cancellationToken);
        await keys.RegisterAsync("secretariat (first key)", AccessRoles.Secretariat, null, secret, cancellationToken);
        logger.LogWarning("No API key existed: a secretariat key was written to {File}. Use it to issue the ministries' keys, then rotate it.", file.Path);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
