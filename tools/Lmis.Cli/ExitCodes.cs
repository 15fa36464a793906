namespace Lmis.Cli;

/// <summary>
/// The exit codes scripts and schedulers rely on (docs/cli.md): one meaning each, the same for every command.
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Some rows were refused (a feed), or the whole version was rejected (an import).</summary>
    public const int Refused = 1;

    public const int Usage = 2;

    /// <summary>The server could not be reached, or failed; a feed's checkpoint is kept for the next run.</summary>
    public const int Server = 3;

    /// <summary>No credential, one that is not valid, or one without the role the command needs.</summary>
    public const int Credentials = 4;

    /// <summary>Stopped by Ctrl+C (128 + SIGINT, as shells report it); a feed's checkpoint is kept.</summary>
    public const int Interrupted = 130;
}

/// <summary>A problem that ends the command with a given exit code and a message for the user.</summary>
public sealed class CommandFailedException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
