using Grpc.Core;

namespace Lmis.Cli.Transport;

/// <summary>What a failed call means for the user: which exit code, and whether sending again may help.</summary>
public static class RpcFailures
{
    /// <summary>
    /// Failures a later attempt may not meet: the server restarting, the network dropping, the limits of a busy
    /// server. Sending again is safe because publishing is an idempotent upsert.
    /// </summary>
    public static bool IsTransient(RpcException e) => e.StatusCode is StatusCode.Unavailable or StatusCode.Internal
        or StatusCode.Unknown or StatusCode.Aborted or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted;

    public static bool IsCredentials(RpcException e) => e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied;

    public static CommandFailedException ToFailure(RpcException e, string server, string credentialHint) => IsCredentials(e)
        ? new CommandFailedException(ExitCodes.Credentials, $"refused: {e.Status.Detail} ({credentialHint})")
        : new CommandFailedException(ExitCodes.Server, $"{server}: {e.StatusCode} {e.Status.Detail}");
}
