namespace Lmis.Statistics.Sdmx;

/// <summary>A reader that gives back the start already read from a text, then the rest of it.</summary>
internal sealed class ReplayingReader(string start, TextReader rest) : TextReader
{
    private int _position;

    public override int Peek() => _position < start.Length ? start[_position] : rest.Peek();

    public override int Read() => _position < start.Length ? start[_position++] : rest.Read();

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer) => Replay(buffer) is var n and > 0 ? n : rest.Read(buffer);

    public override Task<int> ReadAsync(char[] buffer, int index, int count) => ReadAsync(buffer.AsMemory(index, count)).AsTask();

    public override ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default) =>
        Replay(buffer.Span) is var n and > 0 ? ValueTask.FromResult(n) : rest.ReadAsync(buffer, cancellationToken);

    private int Replay(Span<char> buffer)
    {
        var n = Math.Min(buffer.Length, start.Length - _position);
        if (n <= 0)
        {
            return 0;
        }

        start.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }
}
