using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Lmis.BuildingBlocks.Errors;

/// <summary>
/// Turns the services' own exceptions into gRPC statuses with a message a caller can act on. JSON transcoding
/// turns the same statuses into HTTP errors, so REST callers get the same message and the same field errors.
/// </summary>
public sealed class ServiceErrorInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception exception) when (ToRpc(exception, context) is { } rpc)
        {
            throw rpc;
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception exception) when (ToRpc(exception, context) is { } rpc)
        {
            throw rpc;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception exception) when (ToRpc(exception, context) is { } rpc)
        {
            throw rpc;
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception exception) when (ToRpc(exception, context) is { } rpc)
        {
            throw rpc;
        }
    }

    private static RpcException? ToRpc(Exception exception, ServerCallContext context)
    {
        if (Storage.StorageFull.Is(exception))
        {
            Storage.StorageFull.Noted();
            // A header, so REST callers (JSON transcoding) see it as well as gRPC callers.
            context.GetHttpContext().Response.Headers.RetryAfter =
                ((int)Storage.StorageFull.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, Storage.StorageFull.Message));
        }

        return ToRpc(exception);
    }

    private static RpcException? ToRpc(Exception exception) => exception switch
    {
        ValidationFailedException invalid => new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = invalid.Message,
            Details =
            {
                Any.Pack(new BadRequest
                {
                    FieldViolations =
                    {
                        invalid.Errors.Select(e => new BadRequest.Types.FieldViolation
                        {
                            Field = e.Field,
                            Description = e.Description,
                        }),
                    },
                }),
                // The value apart from the reason, which BadRequest has no member for. REST callers get it too: JSON
                // transcoding writes this detail into the status JSON that RestProblemDetailsMiddleware turns into the
                // problem's errors, so both protocols read one structured source and nothing parses a description back.
                Any.Pack(FieldErrorShapes.ToDetail(invalid.Errors)),
            },
        }.ToRpcException(),
        NotFoundException notFound => new RpcException(new Grpc.Core.Status(StatusCode.NotFound, notFound.Message)),
        AccessDeniedException denied => new RpcException(new Grpc.Core.Status(StatusCode.PermissionDenied, denied.Message)),
        DependencyUnavailableException unavailable =>
            new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, unavailable.Message)),
        _ => null,
    };
}
