using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Voice;

public sealed class ShortTimeoutVoiceApp : VoiceApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings() =>
        [new("VOICE_IDLE_TIMEOUT_SECONDS", "1"), new("VOICE_PACKET_TIMEOUT_SECONDS", "0.5")];
}

/// <summary>The idle and missing-packet clocks (configured short here).</summary>
public sealed class VoiceSocketLimitsTests(ShortTimeoutVoiceApp app) : IClassFixture<ShortTimeoutVoiceApp>
{
    [Fact]
    public async Task Missing_packets_time_out_with_an_error_frame_and_an_idle_socket_is_closed()
    {
        var (_, key) = await app.UserWithKeyAsync();
        await using var client = await app.ConnectAsync("/v1/chat/audio", key);
        await client.ExpectAsync("connected");
        await client.SendAsync(new { seq = 1, total = 2, data = "AAAA" });
        var lastSent = DateTime.UtcNow;
        await client.ExpectAsync("packet_ack");
        var (_, missing) = await client.ExpectAsync("error");
        Assert.Equal(408, missing.GetProperty("code").GetInt32());
        Assert.Contains("2..2", missing.GetProperty("message").GetString());
        var (_, idle) = await client.ExpectAsync("error");
        // Not before the 1 s idle limit has passed since the client's last frame (a loaded box can only make it later).
        Assert.InRange((DateTime.UtcNow - lastSent).TotalSeconds, 0.95, 10);
        Assert.Contains("idle", idle.GetProperty("message").GetString());
        Assert.Null(await client.ReceiveAsync());
    }
}

public sealed class ParaformerVoiceApp : VoiceApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings() =>
        [new("QWEN_AUDIO_RECOGNIZE_MODEL", "paraformer-v2"), new("PUBLIC_BASE_URL", "https://ihui.example.com"), new("Prices:paraformer-v2:PerSecond", "2")];
}

/// <summary>With a public URL for stored files, a paraformer model transcribes the stored MP3 by URL (async task).</summary>
public sealed class ParaformerVoiceTests(ParaformerVoiceApp app) : IClassFixture<ParaformerVoiceApp>
{
    [Fact]
    public async Task The_file_transcription_task_gets_the_stored_files_public_url()
    {
        var (userId, key) = await app.UserWithKeyAsync();
        await using var client = await app.ConnectAsync("/v1/chat/audio", key);
        await client.ExpectAsync("connected");
        await client.SendUploadAsync(Fakes.TestSpeech.Pcm("今天天气怎么样？", 16000));
        var frames = await client.ReadUntilAsync("audio_complete");
        var complete = frames[^1].Body;
        Assert.Equal(app.Voice.Transcript, complete.GetProperty("transcription_text").GetString());
        var url = Assert.Single(app.Voice.TranscriptionUrls);
        Assert.Equal(complete.GetProperty("oss_url").GetString(), url);
        Assert.StartsWith("https://ihui.example.com/v1/chat/files/", url);
        Assert.Empty(app.Voice.AsrAudio); // nothing went inline
        var asr = (await app.CallsAsync(userId)).Single(c => c.Model == "paraformer-v2");
        Assert.Equal(2 * 3 * 2, asr.Charged); // usage.duration 3 s × 2 per second × the multiplier
    }
}

public sealed class RateLimitedVoiceApp : VoiceApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings() => [new("RATE_LIMIT_KEY_RPM", "2")];
}

/// <summary>Each stage of a question is a request of the key: over its limit the stage is a 429 error frame with retry_after.</summary>
public sealed class RateLimitedVoiceTests(RateLimitedVoiceApp app) : IClassFixture<RateLimitedVoiceApp>
{
    [Fact]
    public async Task A_stage_over_the_key_s_limit_is_a_429_error_frame_that_says_when_to_come_back()
    {
        var (_, key) = await app.UserWithKeyAsync();
        await using var client = await app.ConnectAsync("/v1/chat/audio", key); // request 1 of 2
        await client.ExpectAsync("connected");
        await client.SendUploadAsync(Fakes.TestSpeech.Pcm("今天天气怎么样？", 16000)); // the transcription is request 2
        var frames = await client.ReadUntilAsync("audio_complete");
        // The answer is refused (and so is any later stage of the question): each refusal is a 429 with retry_after.
        var errors = frames.Where(f => f.Key == "error").Select(f => f.Body).ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, error =>
        {
            Assert.Equal(429, error.GetProperty("code").GetInt32());
            Assert.Contains("2 requests per minute for this API key", error.GetProperty("message").GetString());
            Assert.InRange(error.GetProperty("retry_after").GetInt32(), 1, 60);
        });
    }
}
