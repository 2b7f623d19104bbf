using System.Buffers.Binary;

namespace Ihui.Features.Voice.Audio;

public enum AudioContainer { Pcm, Wav, Mp3, WebM, Ogg }

/// <summary>A received utterance: its container recognised by its bytes, and what is known of its length.</summary>
public sealed record AudioClip(AudioContainer Container, byte[] Bytes, int SampleRate, int Channels, double? Seconds)
{
    public string Extension => Container switch
    {
        AudioContainer.Mp3 or AudioContainer.Pcm or AudioContainer.Wav => "mp3",
        AudioContainer.WebM => "webm",
        _ => "ogg",
    };

    public string MimeType => Container switch
    {
        AudioContainer.WebM => "audio/webm",
        AudioContainer.Ogg => "audio/ogg",
        _ => "audio/mpeg",
    };
}

/// <summary>
/// Recognises audio by its first bytes (RIFF/WAVE, ID3 or an MPEG frame, EBML, OggS; anything else is raw 16-bit
/// little-endian PCM at the declared rate) and turns PCM and WAV into MP3, the form Ihui stores and sends to ASR.
/// </summary>
public static class AudioInput
{
    public static AudioContainer Sniff(ReadOnlySpan<byte> b)
    {
        if (b.Length >= 12 && b[..4].SequenceEqual("RIFF"u8) && b[8..12].SequenceEqual("WAVE"u8)) return AudioContainer.Wav;
        if (b.Length >= 4 && b[..4].SequenceEqual("OggS"u8)) return AudioContainer.Ogg;
        if (b.Length >= 4 && b[0] == 0x1A && b[1] == 0x45 && b[2] == 0xDF && b[3] == 0xA3) return AudioContainer.WebM;
        if (b.Length >= 3 && b[..3].SequenceEqual("ID3"u8)) return AudioContainer.Mp3;
        // Two consecutive frame headers: one alone can occur by chance in PCM.
        if (Mp3FrameHeader.Parse(b) is { } h && b.Length > h.Length + 4 && Mp3FrameHeader.Parse(b[h.Length..]) is not null) return AudioContainer.Mp3;
        return AudioContainer.Pcm;
    }

    /// <summary>
    /// The utterance ready to store and transcribe: PCM and WAV encoded to MP3, MP3 as received, WebM/Ogg kept in their
    /// container (Ihui has no decoder for them; their length is read from the Ogg granule or left unknown).
    /// </summary>
    /// <exception cref="AudioFormatException">the bytes are not audio Ihui can take</exception>
    public static AudioClip Prepare(byte[] bytes, int pcmSampleRate)
    {
        switch (Sniff(bytes))
        {
            case AudioContainer.Wav:
                var wav = ReadWav(bytes);
                return Encode(AudioContainer.Wav, bytes.AsSpan(wav.DataOffset, wav.DataLength), wav.SampleRate, wav.Channels);
            case AudioContainer.Mp3:
                var seconds = Mp3FrameReader.Duration(bytes);
                if (seconds <= 0) throw new AudioFormatException("the MP3 holds no whole frame");
                return new AudioClip(AudioContainer.Mp3, bytes, 0, 0, seconds);
            case AudioContainer.Ogg:
                return new AudioClip(AudioContainer.Ogg, bytes, 0, 0, OggSeconds(bytes));
            case AudioContainer.WebM:
                return new AudioClip(AudioContainer.WebM, bytes, 0, 0, null);
            default:
                if (bytes.Length % 2 != 0) throw new AudioFormatException("raw PCM must be 16-bit samples (an even number of bytes)");
                return Encode(AudioContainer.Pcm, bytes, pcmSampleRate, 1);
        }
    }

    private static AudioClip Encode(AudioContainer source, ReadOnlySpan<byte> pcm, int rate, int channels)
    {
        if (pcm.Length < 2 * channels) throw new AudioFormatException("the audio holds no samples");
        using var encoder = new LameMp3Encoder(rate, channels);
        using var mp3 = new MemoryStream(pcm.Length / 8);
        for (var i = 0; i < pcm.Length; i += 64 * 1024)
            mp3.Write(encoder.Encode(pcm.Slice(i, Math.Min(64 * 1024, pcm.Length - i))).Span);
        mp3.Write(encoder.Flush().Span);
        return new AudioClip(source, mp3.ToArray(), rate, channels, pcm.Length / 2.0 / channels / rate);
    }

    private readonly record struct WavInfo(int SampleRate, int Channels, int DataOffset, int DataLength);

    private static WavInfo ReadWav(byte[] b)
    {
        int? rate = null, channels = null;
        var pos = 12;
        while (pos + 8 <= b.Length)
        {
            var id = b.AsSpan(pos, 4);
            var size = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(pos + 4)), int.MaxValue);
            var body = pos + 8;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || body + 16 > b.Length) throw new AudioFormatException("WAV fmt chunk is truncated");
                var format = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(body));
                var bits = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(body + 14));
                // 0xFFFE (extensible) carries PCM in its sub-format; 16-bit is all Ihui takes.
                if (format is not (1 or 0xFFFE) || bits != 16) throw new AudioFormatException("WAV must be 16-bit PCM");
                channels = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(body + 2));
                rate = (int)BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(body + 4));
                if (channels is not (1 or 2) || rate is < 8000 or > 48000) throw new AudioFormatException("WAV must be mono or stereo, 8–48 kHz");
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (rate is null) throw new AudioFormatException("WAV data comes before its fmt chunk");
                var length = Math.Min(size, b.Length - body) & ~(2 * channels!.Value - 1);
                return new WavInfo(rate.Value, channels.Value, body, length);
            }
            pos = body + size + (size & 1);
        }
        throw new AudioFormatException("WAV has no data chunk");
    }

    /// <summary>The last page's granule position over the stream's rate (Opus always counts at 48 kHz).</summary>
    private static double? OggSeconds(byte[] b)
    {
        var rate = b.AsSpan().IndexOf("OpusHead"u8) >= 0 ? 48000
            : b.AsSpan().IndexOf("\u0001vorbis"u8) is var v and >= 0 && v + 16 <= b.Length ? (int)BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(v + 12))
            : 0;
        if (rate <= 0) return null;
        var last = b.AsSpan().LastIndexOf("OggS"u8);
        if (last < 0 || last + 14 > b.Length) return null;
        var granule = BinaryPrimitives.ReadInt64LittleEndian(b.AsSpan(last + 6));
        return granule > 0 ? granule / (double)rate : null;
    }
}

/// <summary>The bytes are not audio Ihui can take (the message says why).</summary>
public sealed class AudioFormatException(string message) : Exception(message);
