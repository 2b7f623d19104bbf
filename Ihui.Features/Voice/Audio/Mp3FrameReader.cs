namespace Ihui.Features.Voice.Audio;

/// <summary>One MPEG audio (Layer III) frame header, parsed.</summary>
public readonly record struct Mp3FrameHeader(int Length, int SampleRate, int SamplesPerFrame, int Channels)
{
    private static readonly int[] BitratesV1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0];
    private static readonly int[] BitratesV2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0];
    private static readonly int[] RatesV1 = [44100, 48000, 32000, 0];

    /// <summary>The header at the start of <paramref name="b"/>, or null when these 4 bytes are not a Layer III header.</summary>
    public static Mp3FrameHeader? Parse(ReadOnlySpan<byte> b)
    {
        if (b.Length < 4 || b[0] != 0xFF || (b[1] & 0xE0) != 0xE0) return null;
        var version = (b[1] >> 3) & 3; // 0 = 2.5, 2 = 2, 3 = 1
        var layer = (b[1] >> 1) & 3;   // 1 = Layer III
        if (version == 1 || layer != 1) return null;
        var bitrateIndex = b[2] >> 4;
        var rateIndex = (b[2] >> 2) & 3;
        if (bitrateIndex is 0 or 15 || rateIndex == 3) return null;
        var padding = (b[2] >> 1) & 1;
        var mpeg1 = version == 3;
        var bitrate = (mpeg1 ? BitratesV1 : BitratesV2)[bitrateIndex] * 1000;
        var rate = RatesV1[rateIndex] / (version == 3 ? 1 : version == 2 ? 2 : 4);
        var samples = mpeg1 ? 1152 : 576;
        var length = samples / 8 * bitrate / rate + padding;
        var channels = (b[3] >> 6) == 3 ? 1 : 2;
        return new Mp3FrameHeader(length, rate, samples, channels);
    }

    public double Seconds => (double)SamplesPerFrame / SampleRate;
}

/// <summary>
/// Cuts an MP3 byte stream into runs of whole frames, so that every chunk a client gets decodes on its own. Skips a
/// leading ID3v2 tag and resynchronises past bytes that are not a frame. Counts the audio it has passed on.
/// </summary>
public sealed class Mp3FrameReader
{
    private byte[] _buffer = new byte[8192];
    private int _length;
    private bool _started;

    public long Frames { get; private set; }

    /// <summary>Bytes received and not yet taken.</summary>
    public int Buffered => _length;
    public double Seconds { get; private set; }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_length + bytes.Length > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + bytes.Length));
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>The whole frames received so far (empty when none is complete); the partial frame stays for later.</summary>
    public byte[] TakeWholeFrames()
    {
        var span = _buffer.AsSpan(0, _length);
        var pos = 0;
        if (!_started)
        {
            if (span.Length < 10) return [];
            if (span[..3].SequenceEqual("ID3"u8))
            {
                var tag = 10 + ((span[6] & 0x7F) << 21 | (span[7] & 0x7F) << 14 | (span[8] & 0x7F) << 7 | (span[9] & 0x7F));
                if (span.Length < tag) return [];
                pos = tag;
            }
            _started = true;
        }
        var start = -1;
        var end = pos;
        while (pos + 4 <= span.Length)
        {
            if (Mp3FrameHeader.Parse(span[pos..]) is not { } h)
            {
                if (start >= 0) break; // garbage after frames: pass on what we have, resync on the next call
                pos++;
                end = pos;
                continue;
            }
            if (pos + h.Length > span.Length) break;
            if (start < 0) start = pos;
            pos += h.Length;
            end = pos;
            Frames++;
            Seconds += h.Seconds;
        }
        var result = start < 0 ? [] : span[start..end].ToArray();
        span[end..].CopyTo(_buffer);
        _length = span.Length - end;
        return result;
    }

    /// <summary>The duration of whole frames in an MP3 file.</summary>
    public static double Duration(ReadOnlySpan<byte> mp3)
    {
        var reader = new Mp3FrameReader();
        reader.Append(mp3);
        reader.TakeWholeFrames();
        return reader.Seconds;
    }
}
