using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Net.Compression;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Lmis.BuildingBlocks.Errors;

/// <summary>
/// A gRPC request whose bytes are not what the method takes: no gRPC framing, a frame cut short, a message that is
/// not the request message, a compressed message without a usable encoding. Reaches the caller as
/// INVALID_ARGUMENT (a message announced larger than the service accepts: RESOURCE_EXHAUSTED) with a sentence
/// saying what is wrong; a method reading a stream of messages may catch it to say what became of those before.
/// </summary>
public sealed class MalformedGrpcRequestException(StatusCode code, string message) : RpcException(new Status(code, message))
{
    /// <summary>The sentence alone (the status's detail), to be quoted in a longer one.</summary>
    public string Reason => Status.Detail;
}

/// <summary>
/// Reads every gRPC call's request bytes as they arrive, before Grpc.AspNetCore does, and refuses what it would
/// otherwise answer as INTERNAL ("Incomplete message.") or UNKNOWN ("Exception was thrown by handler.") — statuses
/// that tell the caller nothing and read as the service's fault — with a <see cref="MalformedGrpcRequestException"/>
/// naming what is wrong. Each message is parsed as the method's request message once it is whole (decompressed
/// first if sent compressed); Grpc.AspNetCore parses it again, so the check adds one parse of messages that are at
/// most <c>MaxReceiveMessageSize</c>. Unary and server-streaming calls read their one message before any
/// interceptor runs, which is why this sits on the request body and not in <see cref="ServiceErrorInterceptor"/>.
/// </summary>
public sealed class GrpcRequestCheck(RequestDelegate next)
{
    private static readonly ConcurrentDictionary<IMethod, MethodShape?> Shapes = new();

    public Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<GrpcMethodMetadata>() is not { } grpc
            || endpoint.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is not null
            || context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) != true
            || Shapes.GetOrAdd(grpc.Method, MethodShape.Of) is not { } shape)
        {
            return next(context);
        }

        var options = context.RequestServices.GetRequiredService<IOptions<GrpcServiceOptions>>().Value;
        var encoding = context.Request.Headers["grpc-encoding"].ToString();
        var body = new CheckedRequestBody(
            context.Request.Body, shape, encoding.Length == 0 ? null : encoding, options.MaxReceiveMessageSize ?? int.MaxValue, options.CompressionProviders);
        context.Request.Body = body;
        context.Features.Set<IRequestBodyPipeFeature>(new BodyPipe(PipeReader.Create(body)));
        return next(context);
    }

    private sealed class BodyPipe(PipeReader reader) : IRequestBodyPipeFeature
    {
        public PipeReader Reader { get; } = reader;
    }

    /// <summary>What a method's request is: its message, and whether exactly one comes.</summary>
    private sealed record MethodShape(string Method, MessageDescriptor Request, bool OneMessage)
    {
        public static MethodShape? Of(IMethod method)
        {
            var type = method.GetType();
            if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(Method<,>)
                || type.GetGenericArguments()[0].GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is not MessageDescriptor request)
            {
                return null;
            }

            return new MethodShape(method.Name, request, method.Type is MethodType.Unary or MethodType.ServerStreaming);
        }
    }

    /// <summary>The request body as it was sent, failing the read that brings the first byte that cannot be right.</summary>
    private sealed class CheckedRequestBody(
        Stream inner, MethodShape shape, string? encoding, int maxMessageBytes, IList<ICompressionProvider> compression) : Stream
    {
        private const int HeaderSize = 5;
        private readonly byte[] _header = new byte[HeaderSize];
        private int _headerRead;
        private bool _compressed;
        private int _length;
        private MemoryStream? _message;
        private int _messages;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        /// <summary>Found in a read that also brought whole messages before it: those are passed on, this fails the next read.</summary>
        private MalformedGrpcRequestException? _pending;

        public override int Read(byte[] buffer, int offset, int count)
        {
            ThrowPending();
            return Checked(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            ThrowPending();
            var read = await inner.ReadAsync(buffer, cancellationToken);
            return buffer.Length == 0 ? read : Checked(buffer.Span[..read]);
        }

        private void ThrowPending()
        {
            if (_pending is { } pending)
            {
                throw pending;
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Checked(ReadOnlySpan<byte> bytes)
        {
            if (bytes.IsEmpty)
            {
                Ended();
                return 0;
            }

            var count = bytes.Length;
            while (!bytes.IsEmpty)
            {
                // The bytes before this step's are messages read whole (or a header still to complete): a stream's
                // reader gets them, so the messages before a broken one are read as they were sent.
                var passed = count - bytes.Length;
                try
                {
                    Step(ref bytes);
                }
                catch (MalformedGrpcRequestException malformed) when (passed > 0)
                {
                    _pending = malformed;
                    return passed;
                }
            }

            return count;
        }

        /// <summary>Takes in a message header, or as much of a message as came, and checks what is whole.</summary>
        private void Step(ref ReadOnlySpan<byte> bytes)
        {
            if (_message is null)
            {
                var take = Math.Min(HeaderSize - _headerRead, bytes.Length);
                bytes[..take].CopyTo(_header.AsSpan(_headerRead));
                _headerRead += take;
                bytes = bytes[take..];
                if (_headerRead == HeaderSize)
                {
                    Started();
                }
            }
            else
            {
                var take = (int)Math.Min(_length - _message.Length, bytes.Length);
                _message.Write(bytes[..take]);
                bytes = bytes[take..];
            }

            if (_message is not null && _message.Length == _length)
            {
                Whole(_message);
            }
        }

        private string Which => shape.OneMessage ? "the request" : $"message {_messages + 1} of the request";

        private static MalformedGrpcRequestException Invalid(string message) => new(StatusCode.InvalidArgument, message);

        /// <summary>A message header is in: its flag, and a length the service accepts.</summary>
        private void Started()
        {
            if (shape.OneMessage && _messages == 1)
            {
                throw Invalid($"{shape.Method} takes one {shape.Request.Name} message; the request holds more.");
            }

            if (_header[0] > 1)
            {
                throw Invalid($"{Which} is not a gRPC message: a message starts with a flag byte of 0 (or 1, compressed) and its 4-byte length, not 0x{_header[0]:X2}.");
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(1));
            if (length > maxMessageBytes)
            {
                throw new MalformedGrpcRequestException(StatusCode.ResourceExhausted,
                    $"{Which} announces a message of {length} bytes; a message may be at most {maxMessageBytes} bytes.");
            }

            _compressed = _header[0] == 1;
            if (_compressed && (encoding is null || string.Equals(encoding, "identity", StringComparison.OrdinalIgnoreCase)))
            {
                throw Invalid($"{Which} is marked compressed, but the request names no grpc-encoding it was compressed with (send grpc-encoding: gzip, or do not mark it compressed).");
            }

            _length = (int)length;
            _message = new MemoryStream();
        }

        /// <summary>A message is in whole: it must be the method's request message.</summary>
        private void Whole(MemoryStream message)
        {
            var bytes = message.GetBuffer().AsMemory(0, (int)message.Length);
            if (_compressed && !Decompressed(ref bytes))
            {
                // An encoding this service does not offer: Grpc.AspNetCore answers UNIMPLEMENTED, naming the ones it does.
                Next();
                return;
            }

            try
            {
                shape.Request.Parser.ParseFrom(bytes.Span);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw Invalid($"{Which} is not a valid {shape.Request.Name} message ({e.Message.TrimEnd('.')}).");
            }

            Next();
        }

        private void Next()
        {
            _messages++;
            _message = null;
            _headerRead = 0;
        }

        private bool Decompressed(ref Memory<byte> bytes)
        {
            var provider = compression.FirstOrDefault(p => string.Equals(p.EncodingName, encoding, StringComparison.Ordinal));
            if (provider is null)
            {
                return false;
            }

            using var output = new MemoryStream();
            try
            {
                using var source = provider.CreateDecompressionStream(new MemoryStream(bytes.ToArray(), writable: false));
                var chunk = new byte[81920];
                int read;
                while ((read = source.Read(chunk)) > 0)
                {
                    output.Write(chunk, 0, read);
                    if (output.Length > maxMessageBytes)
                    {
                        throw new MalformedGrpcRequestException(StatusCode.ResourceExhausted,
                            $"{Which} decompresses to more than {maxMessageBytes} bytes, the most a message may be.");
                    }
                }
            }
            catch (InvalidDataException)
            {
                throw Invalid($"{Which} is marked compressed with {encoding}, but is not {encoding} data.");
            }

            bytes = output.ToArray();
            return true;
        }

        /// <summary>The body has ended: not inside a message, and with the one message a unary call takes.</summary>
        private void Ended()
        {
            if (_message is not null)
            {
                throw Invalid($"{Which} ends inside a message: its header announces {_length} bytes, {_message.Length} came.");
            }

            if (_headerRead > 0)
            {
                throw Invalid($"{Which} ends inside a message header: {_headerRead} of its 5 bytes came.");
            }

            if (shape.OneMessage && _messages == 0)
            {
                throw Invalid($"The request holds no message: {shape.Method} takes one {shape.Request.Name} message.");
            }
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _message?.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
