namespace Lmis.Cli.Configuration;

/// <summary>
/// Where LMIS is and who is calling, resolved once per command: command line first, then the environment, then the
/// profile (<c>--profile</c> or <c>LMIS_PROFILE</c>), then the default — the gateway's gRPC port on this machine.
/// </summary>
public sealed record ConnectionSettings(string Server, string? ApiKey, string? CaFile, string? ProfileName)
{
    /// <summary>The gateway's and the standalone host's gRPC endpoint (cleartext HTTP/2) on this machine.</summary>
    public const string DefaultServer = "http://localhost:8081";

    public static ConnectionSettings Resolve(string? server, string? profileName, string? keyFile, string? caFile)
    {
        profileName ??= Environment.GetEnvironmentVariable("LMIS_PROFILE") is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
        Profile? profile = null;
        if (profileName is not null && !CliConfiguration.Load().Profiles.TryGetValue(profileName, out profile))
        {
            throw new CommandFailedException(ExitCodes.Usage,
                $"no profile '{profileName}' in {CliConfiguration.FilePath}; create it with: lmis profile set {profileName} --server URL --key-file PATH");
        }

        var address = server
            ?? (Environment.GetEnvironmentVariable("LMIS_SERVER") is { Length: > 0 } serverFromEnvironment ? serverFromEnvironment : null)
            ?? profile?.Server
            ?? DefaultServer;
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new CommandFailedException(ExitCodes.Usage, $"--server '{address}' is not an http:// or https:// address");
        }

        var key = keyFile is not null
            ? ReadKey(keyFile)
            : Environment.GetEnvironmentVariable("LMIS_API_KEY") is { Length: > 0 } keyFromEnvironment
                ? keyFromEnvironment.Trim()
                : profile?.KeyFile is { } profileKeyFile ? ReadKey(profileKeyFile) : null;
        var ca = caFile ?? profile?.CaFile;
        if (ca is not null && !File.Exists(ca))
        {
            throw new CommandFailedException(ExitCodes.Usage, $"--ca-file {ca}: no such file");
        }

        return new ConnectionSettings(address, key, ca, profileName);
    }

    private static string ReadKey(string path)
    {
        try
        {
            var key = File.ReadAllText(path).Trim();
            return key.Length > 0
                ? key
                : throw new CommandFailedException(ExitCodes.Credentials, $"the key file {path} is empty");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException(ExitCodes.Credentials, $"cannot read the key file {path}: {e.Message}");
        }
    }
}
