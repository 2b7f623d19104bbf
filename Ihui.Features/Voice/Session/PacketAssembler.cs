namespace Ihui.Features.Voice.Session;

/// <summary>A packet that breaks the assembly rules; the assembly is dropped and the client starts again at seq 1.</summary>
public sealed class PacketException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>
/// Reassembles one upload sent as <c>{seq, total, data}</c> packets, in order over the socket: a repeated seq is
/// ignored, a seq past the next expected one (a gap) or a changed total is an error, the total size is capped.
/// </summary>
public sealed class PacketAssembler(string kind, int maxBytes)
{
    public const int MaxPackets = 100_000;
    private readonly List<byte[]> _parts = [];
    private long _bytes;

    public int? Total { get; private set; }
    public int Received => _parts.Count;
    public bool InProgress => Total is not null;
    public bool Complete => Total is { } t && _parts.Count == t;
    public long LastPacketAt { get; private set; }

    /// <returns>false for a repeated packet (ignored)</returns>
    public bool Add(int seq, int total, byte[] data)
    {
        LastPacketAt = Environment.TickCount64;
        if (total is < 1 or > MaxPackets) throw Fail(400, $"{kind}: total must be from 1 to {MaxPackets}");
        if (seq < 1 || seq > total) throw Fail(400, $"{kind}: seq {seq} is out of range 1..{total}");
        if (Total is { } t && t != total) throw Fail(400, $"{kind}: total changed from {t} to {total} within one upload");
        if (Complete) throw Fail(409, $"{kind}: the upload is already complete");
        if (seq <= _parts.Count)
        {
            Total = total;
            return false;
        }
        if (seq != _parts.Count + 1) throw Fail(400, $"{kind}: packet {seq} arrived before packet {_parts.Count + 1} (a gap): send the upload again from seq 1");
        if (_bytes + data.Length > maxBytes) throw Fail(413, $"{kind}: larger than {maxBytes} bytes");
        Total = total;
        _parts.Add(data);
        _bytes += data.Length;
        return true;
    }

    public byte[] Take()
    {
        var all = new byte[_bytes];
        var pos = 0;
        foreach (var p in _parts)
        {
            p.CopyTo(all, pos);
            pos += p.Length;
        }
        Reset();
        return all;
    }

    public void Reset()
    {
        _parts.Clear();
        _bytes = 0;
        Total = null;
    }

    private PacketException Fail(int status, string message)
    {
        Reset();
        return new PacketException(status, message);
    }
}
