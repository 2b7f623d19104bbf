namespace Ihui.Tests.Infrastructure;

/// <summary>
/// A stream that can only be read forward, does not know its length (a socket, a pipe), and hands out its bytes at most
/// <paramref name="piece"/> at a time; it records the size of every read asked of it.
/// </summary>
public sealed class PiecewiseStream(byte[] bytes, int piece) : Stream
{
    private int _at;
    public readonly List<int> Reads = [];

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        Reads.Add(buffer.Length);
        var n = Math.Min(Math.Min(piece, buffer.Length), bytes.Length - _at);
        bytes.AsSpan(_at, n).CopyTo(buffer);
        _at += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
