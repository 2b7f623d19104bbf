using System.Diagnostics;
using Ihui.Features.Voice.Audio;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Ihui.Tests.Voice;

// Small kernel send buffers at the fake vendor and at Ihui's listening socket, so what the fake counts as sent and what
// Ihui has written are close to what was read: the measured lead is then Ihui's own buffering.
public sealed class SlowClientVoiceApp() : KestrelVoiceApp(vendorSendBuffer: 64 * 1024, serverSendBuffer: 64 * 1024)
{
    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings() => [new("TTS_STALL_TIMEOUT_SECONDS", "30")];
}

/// <summary>
/// Seed 004's own defect (TTS PCM arrives far faster than it is sent on; a long answer overflowed the queue and audio
/// was lost), proved fixed: a 3-minute spoken answer read by a real client at half real-time speed arrives whole, with
/// what Ihui holds ahead of the client bounded. Runs about 6 minutes, so only on the SQLite pass (it exercises the socket pipeline,
/// not the store; every other voice test runs on both).
/// </summary>
public sealed class SlowClientVoiceTests(SlowClientVoiceApp app, ITestOutputHelper output) : IClassFixture<SlowClientVoiceApp>
{
    [Fact]
    public async Task A_three_minute_answer_read_at_half_real_time_arrives_whole_with_memory_bounded()
    {
        // A 6-minute timing test: .ci/run runs it alone (IHUI_TEST_SLOW_VOICE=1), not among the suite's parallel classes.
        if (Environment.GetEnvironmentVariable("IHUI_TEST_SLOW_VOICE") != "1") return;
        const int sentences = 20;
        const double seconds = 180;
        app.Voice.ResetVoice();
        app.Voice.Reply = string.Concat(Enumerable.Range(1, sentences).Select(i => $"这是第{i}句话，我们慢慢地说。"));
        app.Voice.SecondsPerSegment = seconds / sentences;
        var (_, key) = await app.UserWithKeyAsync();
        await using var client = await app.ConnectRealAsync("/v1/chat/audio", key, receiveBuffer: 16 * 1024);
        await client.ExpectAsync("connected");

        GC.Collect();
        var baseline = GC.GetTotalMemory(true);
        long peak = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetGCMemoryInfo().HeapSizeBytes);
                await Task.Delay(200);
            }
        });

        await client.SendUploadAsync(TestSpeech.Pcm("请讲一个长故事。", 16000));
        var clock = Stopwatch.StartNew();
        double received = 0, leadAtSendEnd = -1;
        var frames = new List<string>();
        System.Text.Json.JsonElement done = default;
        while (true)
        {
            var frame = await client.ReceiveAsync(TimeSpan.FromSeconds(60)) ?? throw new Xunit.Sdk.XunitException(
                $"socket closed at {clock.Elapsed.TotalSeconds:0} s ({client.Socket.CloseStatus} {client.Socket.CloseStatusDescription}) after {received:0.0} s of audio, " +
                $"{app.Voice.PcmBytesSent / 48000.0:0.0} s sent; logs: {string.Join(" | ", app.Logs.Lines.Where(l => l.Contains("Voice") || l.Contains("Kestrel") || l.Contains("rror")).TakeLast(6))}");
            frames.Add(frame.Key);
            if (frame.Key == "error") throw new Xunit.Sdk.XunitException(frame.Body.GetRawText());
            if (frame.Key == "chat_tts_complete") done = frame.Body;
            if (frame.Key == "audio_complete") break;
            if (frame.Key != "audio_stream" || frame.Body.GetProperty("event").GetString() != "data") continue;
            var mp3 = Convert.FromBase64String(frame.Body.GetProperty("data").GetString()!);
            client.Mp3Chunks.Add(mp3);
            received += Mp3FrameReader.Duration(mp3);
            if (leadAtSendEnd < 0 && app.Voice.PcmBytesSent >= (long)(seconds * 24000) * 2)
                leadAtSendEnd = seconds - received;
            // Half real-time: each second of audio takes the client two seconds to take in.
            var due = TimeSpan.FromSeconds(received * 2);
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
        }
        await sampling.CancelAsync();
        await sampler;

        var sent = app.Voice.PcmBytesSent / 2.0 / 24000;
        var decoded = TestSpeech.DecodedSeconds(client.Mp3);
        output.WriteLine($"sent {sent:0.00} s PCM, decoded {decoded:0.00} s MP3 in {clock.Elapsed.TotalSeconds:0} s; " +
                         $"audio not yet delivered when the TTS finished sending: {leadAtSendEnd:0.0} s; managed heap peak {(peak - baseline) / 1048576.0:0.0} MiB above baseline");
        Assert.InRange(sent, seconds - 0.1, seconds + 0.1);
        Assert.InRange(decoded, sent * 0.98, sent * 1.02);
        Assert.Equal(done.GetProperty("total_segments").GetInt32(), done.GetProperty("segments_count").GetInt32());
        Assert.Equal(sentences, done.GetProperty("segments_count").GetInt32());
        Assert.True(done.GetProperty("tts_success").GetBoolean());
        // The TTS socket was read only as fast as the client took audio: it could not finish sending far ahead.
        // (Unbounded, the fake would finish with ~178 s still to deliver.) The heap figure is printed, not asserted: the
        // suite runs other test classes in this process at the same time (run alone it is about 10 MiB).
        Assert.InRange(leadAtSendEnd, 0, 60);
    }
}
