using System.Buffers;
using System.Runtime.CompilerServices;

namespace Ihui.Features.Common.Vendors;

/// <summary>
/// Reads Server-Sent Events' <c>data:</c> payloads as UTF-8 bytes, for the JSON reader to take as they are. Skips
/// comments (DeepSeek's <c>: keep-alive</c>), blank lines and other fields; joins multi-line data with <c>\n</c>; lines
/// may end in <c>\n</c>, <c>\r\n</c> or <c>\r</c>; an event with empty data is not dispatched; a payload still open at
/// the end of the stream is the last one (the spec drops it; a vendor that omits the last blank line is forgiven).
/// </summary>
/// <remarks>
/// Holds no buffer while it waits for the vendor: it waits with a zero-byte read and rents one only when bytes have
/// arrived, so a thousand quiet streams cost a thousand small objects, not a thousand 12 KB reader buffers (the
/// <see cref="StreamReader"/> this replaces kept a byte and a char buffer per stream, and decoded every byte to UTF-16
/// only for the JSON reader to encode it back).
/// </remarks>
public sealed class SseReader(Stream stream, StreamIdleWatch? idle = null, int maxEventBytes = SseReader.DefaultMaxEventBytes) : IDisposable
{
    public const int DefaultMaxEventBytes = 8 * 1024 * 1024;
    private const int ReadSize = 4096;

    private byte[]? _buffer; // bytes read, not yet parsed: [_start, _end)
    private int _start, _end;
    private byte[]? _data;   // the event's data so far: [0, _dataLength)
    private int _dataLength = -1; // -1: no data line in this event yet
    private bool _skipLf;
    private bool _eof;
    private bool _emitted;

    /// <summary>The payload <see cref="ReadAsync"/> found; valid until the next call.</summary>
    public ReadOnlyMemory<byte> Current => _data.AsMemory(0, Math.Max(0, _dataLength));

    /// <summary>Moves to the next payload; false at the end of the stream.</summary>
    /// <exception cref="InvalidDataException">An event or line longer than the limit.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))] // a box per chunk otherwise
    public async ValueTask<bool> ReadAsync(CancellationToken ct)
    {
        if (_emitted) (_dataLength, _emitted) = (-1, false);
        while (true)
        {
            while (TryTakeLine(out var line))
            {
                idle?.Alive();
                if (line.IsEmpty)
                {
                    if (_dataLength > 0) return _emitted = true;
                    _dataLength = -1; // an event with empty data is not dispatched (the SSE spec)
                    continue;
                }
                if (line[0] == (byte)':' || !line.StartsWith("data:"u8)) continue;
                var value = line[5..];
                if (!value.IsEmpty && value[0] == (byte)' ') value = value[1..];
                AppendData(value);
            }
            if (_eof) return _emitted = _dataLength > 0;
            await FillAsync(ct);
        }
    }

    /// <summary>The next whole line in the buffer (its terminator dropped); at the end of the stream, what is left.</summary>
    private bool TryTakeLine(out ReadOnlySpan<byte> line)
    {
        line = default;
        if (_buffer is null) return false;
        if (_skipLf && _start < _end)
        {
            if (_buffer[_start] == (byte)'\n') _start++;
            _skipLf = false;
        }
        var pending = _buffer.AsSpan(_start, _end - _start);
        var at = pending.IndexOfAny((byte)'\n', (byte)'\r');
        if (at < 0)
        {
            if (!_eof || pending.IsEmpty) return false;
            line = pending;
            _start = _end;
            return true;
        }
        line = pending[..at];
        _start += at + 1;
        if (pending[at] == (byte)'\r') _skipLf = true;
        return true;
    }

    private void AppendData(ReadOnlySpan<byte> value)
    {
        var length = Math.Max(0, _dataLength);
        var needed = length + (_dataLength >= 0 ? 1 : 0) + value.Length;
        if (needed > maxEventBytes) throw new InvalidDataException($"an event of more than {maxEventBytes} bytes");
        if (_data is null || _data.Length < needed)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(needed, 512));
            if (_data is not null)
            {
                _data.AsSpan(0, length).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(_data);
            }
            _data = grown;
        }
        if (_dataLength >= 0) _data[length++] = (byte)'\n';
        value.CopyTo(_data.AsSpan(length));
        _dataLength = length + value.Length;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FillAsync(CancellationToken ct)
    {
        if (_buffer is not null && _start == _end)
        {
            // Nothing unparsed: give the buffer back while the vendor is quiet.
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
            if (_dataLength < 0 && _data is not null)
            {
                ArrayPool<byte>.Shared.Return(_data);
                _data = null;
            }
        }
        if (_buffer is null)
        {
            _ = await stream.ReadAsync(Memory<byte>.Empty, ct);
            _buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            var unparsed = _end - _start;
            if (unparsed > maxEventBytes) throw new InvalidDataException($"a line of more than {maxEventBytes} bytes");
            if (_start > 0 && unparsed < _buffer.Length / 2)
            {
                _buffer.AsSpan(_start, unparsed).CopyTo(_buffer);
            }
            else
            {
                var grown = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
                _buffer.AsSpan(_start, unparsed).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = grown;
            }
            (_start, _end) = (0, unparsed);
        }
        var read = await stream.ReadAsync(_buffer.AsMemory(_end), ct);
        if (read == 0) _eof = true;
        _end += read;
    }

    public void Dispose()
    {
        if (_buffer is not null) ArrayPool<byte>.Shared.Return(_buffer);
        if (_data is not null) ArrayPool<byte>.Shared.Return(_data);
        _buffer = _data = null;
    }
}
