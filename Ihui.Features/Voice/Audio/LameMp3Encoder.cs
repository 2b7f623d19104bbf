using System.Runtime.InteropServices;

namespace Ihui.Features.Voice.Audio;

/// <summary>
/// 16-bit PCM → MP3 in process, through LAME (Debian's <c>libmp3lame0</c>, loaded at first use; no MP3 encoder exists
/// among the managed packages Ihui can use). One encoder per stream; not thread-safe. Output is whole MP3 frames plus
/// the encoder's partial tail, so callers cut frames with <see cref="Mp3FrameReader"/>.
/// </summary>
public sealed class LameMp3Encoder : IDisposable
{
    private readonly IntPtr _lame;
    private readonly int _channels;
    private byte[] _out = new byte[16 * 1024];
    private short[] _in = new short[8 * 1024];
    private bool _disposed;

    public LameMp3Encoder(int sampleRate, int channels = 1, int bitrateKbps = 48)
    {
        if (channels is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(channels));
        var lib = Lame.Library ?? throw new AudioCodecUnavailableException(Lame.LoadError);
        _channels = channels;
        _lame = lib.Init();
        if (_lame == IntPtr.Zero) throw new AudioCodecUnavailableException("lame_init failed");
        lib.SetInSamplerate(_lame, sampleRate);
        lib.SetNumChannels(_lame, channels);
        lib.SetMode(_lame, channels == 1 ? 3 : 1); // MONO : JOINT_STEREO
        lib.SetBrate(_lame, bitrateKbps);
        lib.SetQuality(_lame, 5);
        lib.SetWriteVbrTag(_lame, 0); // a streamed MP3 has no seekable header to patch afterwards
        lib.SetDisableReservoir(_lame, 1); // no frame borrows bits from the one before: any run of whole frames decodes alone
        if (lib.InitParams(_lame) < 0)
        {
            lib.Close(_lame);
            throw new AudioCodecUnavailableException($"LAME refused {sampleRate} Hz, {channels} channel(s), {bitrateKbps} kbps");
        }
    }

    /// <summary>Whether libmp3lame could be loaded on this machine.</summary>
    public static bool Available => Lame.Library is not null;

    /// <summary>Encodes interleaved little-endian 16-bit samples; returns the MP3 bytes produced (valid until the next call).</summary>
    public ReadOnlyMemory<byte> Encode(ReadOnlySpan<byte> pcm)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var samples = MemoryMarshal.Cast<byte, short>(pcm[..(pcm.Length & ~1)]);
        var frames = samples.Length / _channels;
        if (frames == 0) return ReadOnlyMemory<byte>.Empty;
        var needed = (int)(1.25 * frames) + 7200; // LAME's documented worst case
        if (_out.Length < needed) _out = new byte[needed];
        if (_in.Length < samples.Length) _in = new short[samples.Length];
        samples.CopyTo(_in);
        var n = _channels == 1
            ? Lame.Library!.EncodeMono(_lame, _in, _in, frames, _out, _out.Length)
            : Lame.Library!.EncodeInterleaved(_lame, _in, frames, _out, _out.Length);
        if (n < 0) throw new InvalidOperationException($"lame_encode_buffer failed ({n})");
        return _out.AsMemory(0, n);
    }

    /// <summary>The last frames (what LAME still buffers); call once at the end.</summary>
    public ReadOnlyMemory<byte> Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_out.Length < 7200) _out = new byte[7200];
        var n = Lame.Library!.Flush(_lame, _out, _out.Length);
        return n < 0 ? throw new InvalidOperationException($"lame_encode_flush failed ({n})") : _out.AsMemory(0, n);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Lame.Library!.Close(_lame);
    }

    private sealed class Lame
    {
        private static readonly Lazy<(Lame? Lib, string Error)> Loaded = new(Load);
        public static Lame? Library => Loaded.Value.Lib;
        public static string LoadError => Loaded.Value.Error;

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate IntPtr InitFn();
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate int SetIntFn(IntPtr gfp, int value);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate int GfpFn(IntPtr gfp);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate int EncodeFn(IntPtr gfp, short[] left, short[] right, int samples, byte[] mp3, int size);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate int EncodeInterleavedFn(IntPtr gfp, short[] pcm, int samples, byte[] mp3, int size);
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate int FlushFn(IntPtr gfp, byte[] mp3, int size);

        public required InitFn Init { get; init; }
        public required SetIntFn SetInSamplerate { get; init; }
        public required SetIntFn SetNumChannels { get; init; }
        public required SetIntFn SetMode { get; init; }
        public required SetIntFn SetBrate { get; init; }
        public required SetIntFn SetQuality { get; init; }
        public required SetIntFn SetWriteVbrTag { get; init; }
        public required SetIntFn SetDisableReservoir { get; init; }
        public required GfpFn InitParams { get; init; }
        public required EncodeFn EncodeMono { get; init; }
        public required EncodeInterleavedFn EncodeInterleaved { get; init; }
        public required FlushFn Flush { get; init; }
        public required GfpFn CloseFn { get; init; }

        public void Close(IntPtr gfp) => CloseFn(gfp);

        private static (Lame?, string) Load()
        {
            string[] names = ["libmp3lame.so.0", "libmp3lame.so", "libmp3lame.0.dylib", "libmp3lame.dylib", "libmp3lame.dll", "mp3lame"];
            foreach (var name in names)
            {
                if (!NativeLibrary.TryLoad(name, out var handle)) continue;
                T F<T>(string symbol) where T : Delegate => Marshal.GetDelegateForFunctionPointer<T>(NativeLibrary.GetExport(handle, symbol));
                try
                {
                    return (new Lame
                    {
                        Init = F<InitFn>("lame_init"),
                        SetInSamplerate = F<SetIntFn>("lame_set_in_samplerate"),
                        SetNumChannels = F<SetIntFn>("lame_set_num_channels"),
                        SetMode = F<SetIntFn>("lame_set_mode"),
                        SetBrate = F<SetIntFn>("lame_set_brate"),
                        SetQuality = F<SetIntFn>("lame_set_quality"),
                        SetWriteVbrTag = F<SetIntFn>("lame_set_bWriteVbrTag"),
                        SetDisableReservoir = F<SetIntFn>("lame_set_disable_reservoir"),
                        InitParams = F<GfpFn>("lame_init_params"),
                        EncodeMono = F<EncodeFn>("lame_encode_buffer"),
                        EncodeInterleaved = F<EncodeInterleavedFn>("lame_encode_buffer_interleaved"),
                        Flush = F<FlushFn>("lame_encode_flush"),
                        CloseFn = F<GfpFn>("lame_close"),
                    }, "");
                }
                catch (EntryPointNotFoundException e)
                {
                    return (null, $"{name} lacks {e.Message}");
                }
            }
            return (null, "libmp3lame is not installed (Debian/Ubuntu: apt-get install libmp3lame0)");
        }
    }
}

/// <summary>An audio codec Ihui needs is missing on this machine (e.g. libmp3lame).</summary>
public sealed class AudioCodecUnavailableException(string message) : Exception(message);
