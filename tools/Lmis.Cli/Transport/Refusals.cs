using Google.Rpc;
using Grpc.Core;

namespace Lmis.Cli.Transport;

/// <summary>
/// One call's refusal as a user reads it: a request LMIS refused (<c>INVALID_ARGUMENT</c> with every field at fault,
/// or <c>NOT_FOUND</c>) ends with exit code 1; credentials with 4; anything else is the server's or the network's, 3.
/// </summary>
public static class Refusals
{
    public static async Task<int> ExplainAsync(Func<Task<int>> call, string subject, LmisConnection connection, string credentialHint, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.FailedPrecondition)
        {
            Console.Error.WriteLine($"{subject}: {e.Status.Detail}");
            foreach (var violation in e.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations ?? [])
            {
                Console.Error.WriteLine($"  {violation.Field}: {violation.Description}");
            }

            return ExitCodes.Refused;
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw RpcFailures.ToFailure(e, connection.Server, credentialHint);
        }
    }
}
