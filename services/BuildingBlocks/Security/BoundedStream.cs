using Microsoft.AspNetCore.Http;

namespace Lmis.BuildingBlocks.Security;

/// <summary>Raises the server's request body limit for an upload endpoint to the size the endpoint itself allows.</summary>
public sealed record UploadSizeLimit(long? MaxRequestBodySize) : Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata;

/// <summary>
/// An upload read at most to the given number of bytes, whatever server runs the endpoint; beyond it, reading fails
/// with 413 (<see cref="BadHttpRequestException"/>).
/// </summary>
public sealed class BoundedStream(Stream inner, long maxBytes, string tooLarge) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int read)
    {
        _read += read;
        return _read > maxBytes
            ? throw new BadHttpRequestException(tooLarge, StatusCodes.Status413PayloadTooLarge)
            : read;
    }
}
