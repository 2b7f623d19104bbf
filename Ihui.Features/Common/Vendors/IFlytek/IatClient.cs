using System.Text;
using System.Text.Json;
using Ihui.Features.Common.Errors;

namespace Ihui.Features.Common.Vendors.IFlytek;

/// <summary>
/// Dictation (IAT) over its WebSocket (vendor-protocols.md §9): 16 kHz 16-bit mono PCM sent in frames at the
/// vendor's pace, results gathered until <c>data.status == 2</c>. With <c>wpgs</c> a result may replace earlier ones.
/// </summary>
public sealed class IatClient(IFlytekOptions options, VendorStreamSettings streams, TimeProvider clock)
{
    public const int BytesPerSecond = 16_000 * 2;

    public async Task<string> RecognizeAsync(ReadOnlyMemory<byte> pcm, CancellationToken ct)
    {
        var credentials = options.RequireCredentials();
        var url = IFlytekSigner.Sign(options.IatUrl, "GET", credentials.ApiKey, credentials.ApiSecret, clock.GetUtcNow());
        // The audio is sent in real time, so the vendor's answer cannot come before the audio's own length has passed.
        var pacing = options.IatFrameInterval * Math.Ceiling(pcm.Length / (double)options.IatFrameBytes);
        var deadline = clock.GetUtcNow() + options.Timeout + pacing;

        await using var socket = await IFlytekSocket.ConnectAsync(url, options.Timeout, ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sending = SendAudioAsync(socket, credentials.AppId, pcm, stop.Token);
        try
        {
            var segments = new SortedDictionary<int, string>();
            while (true)
            {
                var left = deadline - clock.GetUtcNow();
                if (left <= TimeSpan.Zero) throw ApiException.VendorTimeout(IFlytekOptions.Vendor);
                // While the audio goes out the vendor may rightly say nothing; once it is all sent, silence is bounded by the idle limit.
                using var doc = await socket.ReceiveAsync(sending.IsCompleted && streams.IdleTimeout < left ? streams.IdleTimeout : left, ct)
                                ?? throw ApiException.VendorError(IFlytekOptions.Vendor, "connection closed before the final result");
                if (Apply(doc.RootElement, segments)) break;
            }
            return string.Concat(segments.Values);
        }
        finally
        {
            await stop.CancelAsync();
            try { await sending; }
            catch (Exception) when (stop.IsCancellationRequested) { }
        }
    }

    private async Task SendAudioAsync(IFlytekSocket socket, string appId, ReadOnlyMemory<byte> pcm, CancellationToken ct)
    {
        var size = options.IatFrameBytes;
        for (var offset = 0; offset < pcm.Length; offset += size)
        {
            var chunk = Convert.ToBase64String(pcm.Span.Slice(offset, Math.Min(size, pcm.Length - offset)));
            object frame = offset == 0
                ? new
                {
                    common = new { app_id = appId },
                    business = new
                    {
                        language = "zh_cn", domain = "iat", accent = "mandarin", vad_eos = 10000,
                        dwa = options.IatDynamicCorrection ? "wpgs" : null,
                    },
                    data = Data(0, chunk),
                }
                : new { data = Data(1, chunk) };
            await socket.SendAsync(frame, ct);
            if (options.IatFrameInterval > TimeSpan.Zero) await Task.Delay(options.IatFrameInterval, clock, ct);
        }
        await socket.SendAsync(new { data = Data(2, "") }, ct);
    }

    private static object Data(int status, string audio) =>
        new { status, format = "audio/L16;rate=16000", encoding = "raw", audio };

    /// <summary>Folds one server frame into the segments by <c>sn</c>; true on the final frame.</summary>
    public static bool Apply(JsonElement root, SortedDictionary<int, string> segments)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("code", out var c) || !c.TryGetInt32(out var code))
            throw ApiException.VendorError(IFlytekOptions.Vendor, "malformed frame");
        if (code != 0)
            throw IFlytekErrors.Map(code, root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null);
        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object) return false;

        if (data.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object)
        {
            var sn = result.TryGetProperty("sn", out var s) && s.TryGetInt32(out var n) ? n : segments.Count + 1;
            if (result.TryGetProperty("pgs", out var pgs) && pgs.GetString() == "rpl"
                && result.TryGetProperty("rg", out var rg) && rg.ValueKind == JsonValueKind.Array && rg.GetArrayLength() == 2
                && rg[0].TryGetInt32(out var from) && rg[1].TryGetInt32(out var to))
                for (var i = from; i <= to; i++) segments.Remove(i);
            var text = new StringBuilder();
            if (result.TryGetProperty("ws", out var ws) && ws.ValueKind == JsonValueKind.Array)
                foreach (var w in ws.EnumerateArray())
                    if (w.TryGetProperty("cw", out var cw) && cw.ValueKind == JsonValueKind.Array)
                        foreach (var candidate in cw.EnumerateArray())
                        {
                            if (candidate.TryGetProperty("w", out var word) && word.ValueKind == JsonValueKind.String) text.Append(word.GetString());
                            break; // the first candidate is the best one
                        }
            segments[sn] = text.ToString();
        }
        return data.TryGetProperty("status", out var st) && st.TryGetInt32(out var status) && status == 2;
    }
}
