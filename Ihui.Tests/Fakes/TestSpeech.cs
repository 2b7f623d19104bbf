using System.Diagnostics;

namespace Ihui.Tests.Fakes;

/// <summary>Real speech made offline by Debian's espeak-ng and sox, cached per text and format for the test run.</summary>
public static class TestSpeech
{
    private static readonly string Dir = Directory.CreateTempSubdirectory("ihui-speech-").FullName;
    private static readonly Dictionary<string, byte[]> Cache = new();

    /// <summary>Raw 16-bit little-endian mono PCM at <paramref name="rate"/>.</summary>
    public static byte[] Pcm(string text, int rate, string voice = "cmn") => Make(text, voice, $"-r {rate} -c 1 -b 16 -e signed-integer -L", "raw");

    /// <summary>A 16-bit mono WAV file at <paramref name="rate"/>.</summary>
    public static byte[] Wav(string text, int rate, string voice = "cmn") => Make(text, voice, $"-r {rate} -c 1 -b 16 -e signed-integer", "wav");

    /// <summary>An MP3 file (sox with libsox-fmt-mp3).</summary>
    public static byte[] Mp3(string text, string voice = "cmn") => Make(text, voice, "-r 16000 -c 1 -C 48", "mp3");

    public static string WavFile(string text, int rate, string voice = "cmn")
    {
        var path = Path.Combine(Dir, $"{Math.Abs(StringComparer.Ordinal.GetHashCode(text + voice))}_{rate}.wav");
        if (!File.Exists(path)) File.WriteAllBytes(path, Wav(text, rate, voice));
        return path;
    }

    private static byte[] Make(string text, string voice, string soxOut, string ext)
    {
        var key = $"{voice}|{soxOut}|{text}";
        lock (Cache)
        {
            if (Cache.TryGetValue(key, out var cached)) return cached;
            var id = Guid.NewGuid().ToString("N");
            var wav = Path.Combine(Dir, id + ".src.wav");
            var output = Path.Combine(Dir, id + "." + ext);
            Run("espeak-ng", ["-v", voice, "-w", wav, text]);
            Run("sox", [wav, .. soxOut.Split(' '), output]);
            var bytes = File.ReadAllBytes(output);
            Cache[key] = bytes;
            return bytes;
        }
    }

    public static string Run(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} failed: {stderr}");
        return stdout.Result;
    }

    /// <summary>The decoded duration of an MP3, in seconds (NLayer, a managed decoder), and whether every frame decoded.</summary>
    public static double DecodedSeconds(byte[] mp3)
    {
        using var file = new NLayer.MpegFile(new MemoryStream(mp3));
        var buffer = new float[8192];
        long samples = 0;
        int n;
        while ((n = file.ReadSamples(buffer, 0, buffer.Length)) > 0) samples += n;
        return (double)samples / file.Channels / file.SampleRate;
    }
}
