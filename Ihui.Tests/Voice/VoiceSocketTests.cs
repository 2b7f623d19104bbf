using System.Text.Json;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Voice;

/// <summary>
/// <c>/v1/chat/audio</c> end to end against the fake DashScope (ASR, chat, realtime TTS): seed 004's frames with its
/// keys, the streamed MP3 decoded, the turn saved, each stage billed, and every bad input or vendor failure an error
/// frame with the hold refunded and the socket still usable.
/// </summary>
public sealed class VoiceSocketTests(VoiceApp app) : IClassFixture<VoiceApp>
{
    private const string Route = "/v1/chat/audio";
    private static byte[] Question => TestSpeech.Pcm("今天天气怎么样？", 16000);

    private async Task<List<(string Key, JsonElement Body)>> AskAsync(VoiceClient client, byte[]? audio = null) =>
        await Task.Run(async () =>
        {
            await client.SendUploadAsync(audio ?? Question);
            return await client.ReadUntilAsync("audio_complete");
        });

    [Fact]
    public async Task A_spoken_question_gets_the_seeds_frames_a_streamed_answer_and_decodable_mp3_and_is_billed_by_stage()
    {
        app.Voice.ResetVoice();
        var (userId, key) = await app.UserWithKeyAsync();
        await using var client = await app.ConnectAsync(Route, key);
        var (_, connected) = await client.ExpectAsync("connected");
        var sessionId = connected.GetProperty("session_id").GetString()!;
        Assert.Equal("音频连接已建立", connected.GetProperty("message").GetString());

        var frames = await AskAsync(client);
        var keys = frames.Select(f => f.Key).ToList();
        Assert.Equal(["transcription_started", "chat_started", "chat_chunk", "tts_started"], keys.Distinct().Take(4).Except(["audio_stream"]).ToList());
        Assert.True(keys.IndexOf("audio_stream") > keys.IndexOf("chat_started"));
        Assert.Equal(["audio_stream", "chat_tts_complete", "audio_complete"], keys.TakeLast(3));
        Assert.Equal("finished", frames[^3].Body.GetProperty("event").GetString());

        var chatStarted = frames.First(f => f.Key == "chat_started").Body;
        Assert.Equal(app.Voice.Transcript, chatStarted.GetProperty("user_message").GetString());
        var chunks = frames.Where(f => f.Key == "chat_chunk").Select(f => f.Body).ToList();
        Assert.Equal(app.Voice.Reply, string.Concat(chunks.Select(c => c.GetProperty("chunk").GetString())));
        Assert.Equal(app.Voice.Reply, chunks[^1].GetProperty("full_response").GetString());

        // The client's text keeps the emoji, the markdown and the URL; what went to TTS has none of them.
        var spoken = string.Concat(app.Voice.TtsTexts);
        Assert.DoesNotContain("😀", spoken);
        Assert.DoesNotContain("**", spoken);
        Assert.DoesNotContain("https://", spoken);
        Assert.Contains("今天天气晴朗", spoken);

        var done = frames.First(f => f.Key == "chat_tts_complete").Body;
        Assert.True(done.GetProperty("tts_success").GetBoolean());
        Assert.True(done.GetProperty("db_saved").GetBoolean());
        Assert.Equal(app.Voice.TtsTexts.Count, done.GetProperty("total_segments").GetInt32());
        Assert.Equal(done.GetProperty("total_segments").GetInt32(), done.GetProperty("segments_count").GetInt32());
        Assert.True(done.GetProperty("segments_count").GetInt32() >= 2);

        // Every data frame decodes on its own (whole frames); all together last as long as the PCM the fake sent.
        Assert.All(client.Mp3Chunks, c => Assert.True(TestSpeech.DecodedSeconds(c) > 0));
        var sentSeconds = app.Voice.PcmBytesSent / 2.0 / 24000;
        Assert.InRange(TestSpeech.DecodedSeconds(client.Mp3), sentSeconds * 0.98, sentSeconds * 1.02 + 0.1);

        var complete = frames[^1].Body;
        Assert.True(complete.GetProperty("transcription_success").GetBoolean());
        Assert.Equal(app.Voice.Transcript, complete.GetProperty("transcription_text").GetString());
        Assert.Equal(app.Voice.Reply, complete.GetProperty("assistant_response").GetString());
        Assert.True(complete.GetProperty("oss_uploaded").GetBoolean());
        Assert.Equal((Question.Length + 8191) / 8192, complete.GetProperty("packets").GetInt32());
        Assert.InRange(complete.GetProperty("duration").GetDouble(), 0.5, 10);

        // The question was stored as MP3 and is served at its oss_url; ASR got that MP3 inline.
        var url = new Uri(complete.GetProperty("oss_url").GetString()!);
        using var http = app.CreateClient();
        var stored = await http.GetByteArrayAsync(url.PathAndQuery);
        Assert.Equal(complete.GetProperty("size").GetInt64(), stored.Length);
        Assert.Equal(stored, app.Voice.AsrAudio.Last());
        Assert.InRange(TestSpeech.DecodedSeconds(stored), complete.GetProperty("duration").GetDouble() - 0.1, complete.GetProperty("duration").GetDouble() + 0.2);

        // History: the turn is saved under the session, and the next question goes with it.
        Assert.Equal(2, (await app.ChatMessagesOfAsync(sessionId)).Count);
        await AskAsync(client);
        var second = app.Voice.ChatBodies.Last()["messages"]!.AsArray();
        Assert.Equal(["system", "user", "assistant", "user"], second.Select(m => m!["role"]!.GetValue<string>()));

        // Three calls per turn (ASR seconds, chat tokens, TTS characters), each settled, the ledger whole.
        var calls = await app.CallsAsync(userId);
        Assert.Equal(6, calls.Count);
        Assert.All(calls, c => Assert.Equal(Route, c.Route));
        Assert.Equal(["qwen-plus", "qwen-tts-realtime", "qwen3-asr-flash"], calls.Select(c => c.Model).Distinct().Order());
        Assert.All(calls, c => Assert.True(c.Charged > 0));
        Assert.Equal(0, await app.HoldCountAsync(userId));
        Assert.Equal(await app.LedgerSumAsync(userId), await app.BalanceAsync(userId));
        Assert.Equal(1_000_000 - calls.Sum(c => c.Charged), await app.BalanceAsync(userId));
        // TTS is priced per character here: 1 token a character × the multiplier 2, for the characters spoken.
        Assert.All(calls.Where(c => c.Model == "qwen-tts-realtime"), c => Assert.Equal(2 * c.UsageOut, c.Charged));
        Assert.Equal(spoken.Length, calls.First(c => c.Model == "qwen-tts-realtime").UsageOut);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sk-not-a-real-key")]
    public async Task Without_a_valid_key_the_socket_gets_a_401_error_frame_and_closes(string? key)
    {
        await using var client = await app.ConnectAsync(Route, key);
        var (_, error) = await client.ExpectAsync("error");
        Assert.Equal(401, error.GetProperty("code").GetInt32());
        Assert.Null(await client.ReceiveAsync());
    }

    [Fact]
    public async Task The_key_may_come_as_a_query_parameter_for_browsers()
    {
        var (_, key) = await app.UserWithKeyAsync();
        await using var client = await app.ConnectAsync(Route, key, header: false);
        await client.ExpectAsync("connected");
    }

    [Fact]
    public async Task Bad_frames_each_get_an_error_frame_and_the_socket_stays_usable()
    {
        app.Voice.ResetVoice();
        var (userId, key) = await app.UserWithKeyAsync();
        await using var client = await app.ConnectAsync(Route, key);
        await client.ExpectAsync("connected");
        string[] bad =
        [
            "not json", "[1,2]", "null", "{}", """{"seq":"1","total":1,"data":"AAAA"}""", """{"seq":1,"total":1,"data":5}""",
            """{"seq":1,"total":1,"data":"***"}""", """{"seq":0,"total":1,"data":"AAAA"}""", """{"seq":3,"total":2,"data":"AAAA"}""",
            """{"seq":1,"total":0,"data":"AAAA"}""", """{"seq":1,"total":1,"data":""}""", """{"type":"end"}""",
            """{"seq":1.5,"total":2,"data":"AAAA"}""", "{\"seq\":1,\"total\":1,\"data\":\"" + Convert.ToBase64String(new byte[9000]) + "\"}",
        ];
        foreach (var frame in bad)
        {
            await client.SendTextAsync(frame);
            var (k, body) = await client.ExpectAsync("error");
            Assert.InRange(body.GetProperty("code").GetInt32(), 400, 413);
            Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
        }
        // A gap, then a changed total: each drops the upload.
        var data = Convert.ToBase64String(new byte[100]);
        await client.SendAsync(new { seq = 1, total = 3, data });
        await client.ExpectAsync("packet_ack");
        await client.SendAsync(new { seq = 3, total = 3, data });
        Assert.Contains("gap", (await client.ExpectAsync("error")).Body.GetProperty("message").GetString());
        await client.SendAsync(new { seq = 1, total = 3, data });
        await client.ExpectAsync("packet_ack");
        await client.SendAsync(new { seq = 1, total = 3, data }); // a repeat is acknowledged and ignored
        Assert.Equal(1, (await client.ExpectAsync("packet_ack")).Body.GetProperty("received").GetInt32());
        await client.SendAsync(new { seq = 2, total = 4, data });
        Assert.Contains("total changed", (await client.ExpectAsync("error")).Body.GetProperty("message").GetString());
        await client.Socket.SendAsync(new byte[] { 1, 2 }, System.Net.WebSockets.WebSocketMessageType.Binary, true, CancellationToken.None);
        Assert.Equal(400, (await client.ExpectAsync("error")).Body.GetProperty("code").GetInt32());

        // Audio that is no audio (odd-length "PCM") is refused before any vendor is called.
        await client.SendAsync(new { seq = 1, total = 1, data = Convert.ToBase64String(new byte[101]) });
        await client.ExpectAsync("packet_ack");
        Assert.Equal(400, (await client.ExpectAsync("error")).Body.GetProperty("code").GetInt32());
        Assert.Empty(await app.CallsAsync(userId));

        var frames = await AskAsync(client);
        Assert.True(frames[^1].Body.GetProperty("chat_success").GetBoolean());
    }

    [Fact]
    public async Task Wav_and_mp3_uploads_are_recognised_by_their_bytes()
    {
        app.Voice.ResetVoice();
        var (_, key) = await app.UserWithKeyAsync();
        await using var client = await app.ConnectAsync(Route, key);
        await client.ExpectAsync("connected");
        foreach (var audio in new[] { TestSpeech.Wav("你好", 22050), TestSpeech.Mp3("你好") })
        {
            var frames = await AskAsync(client, audio);
            var complete = frames[^1].Body;
            Assert.True(complete.GetProperty("transcription_success").GetBoolean(), complete.GetRawText());
            Assert.InRange(complete.GetProperty("duration").GetDouble(), 0.3, 5);
            Assert.True(TestSpeech.DecodedSeconds(app.Voice.AsrAudio.Last()) > 0.3);
        }
    }

    [Fact]
    public async Task An_empty_transcription_gets_the_skipped_frame_and_no_answer()
    {
        app.Voice.ResetVoice();
        app.Voice.Transcript = "";
        var (userId, key) = await app.UserWithKeyAsync();
        await using var client = await app.ConnectAsync(Route, key);
        await client.ExpectAsync("connected");
        var frames = await AskAsync(client);
        Assert.Equal(new[] { "transcription_started", "chat_started", "audio_complete" }, frames.Select(f => f.Key));
        Assert.Equal("跳过对话生成：语音识别失败或结果为空", frames[1].Body.GetProperty("message").GetString());
        Assert.False(frames[^1].Body.GetProperty("chat_success").GetBoolean());
        Assert.Single(await app.CallsAsync(userId));
    }

    [Theory]
    [InlineData("asr")]
    [InlineData("asr-hang")]
    [InlineData("chat")]
    [InlineData("tts")]
    [InlineData("tts-stall")]
    public async Task A_vendor_failure_at_any_stage_is_an_error_frame_its_hold_refunded_and_the_socket_usable(string stage)
    {
        app.Voice.ResetVoice();
        switch (stage)
        {
            case "asr": app.Voice.AsrMode = VoiceStageMode.Fail; break;
            case "asr-hang": app.Voice.AsrMode = VoiceStageMode.Hang; break;
            case "chat": app.Voice.ChatMode = VoiceStageMode.Fail; break;
            case "tts": app.Voice.TtsMode = VoiceStageMode.Fail; break;
            case "tts-stall": app.Voice.TtsMode = VoiceStageMode.Hang; break;
        }
        var (userId, key) = await app.UserWithKeyAsync();
        await using var client = await app.ConnectAsync(Route, key);
        await client.ExpectAsync("connected");
        await client.SendUploadAsync(Question);
        var frames = await client.ReadUntilAsync("audio_complete", timeout: TimeSpan.FromSeconds(20));
        var error = frames.Single(f => f.Key == "error").Body;
        Assert.Equal(stage is "asr-hang" or "tts-stall" ? 408 : 502, error.GetProperty("code").GetInt32());
        Assert.Contains(stage.StartsWith("asr") ? "speech recognition" : stage == "chat" ? "answer" : "speech synthesis", error.GetProperty("message").GetString());
        var complete = frames[^1].Body;
        Assert.Equal(!stage.StartsWith("asr"), complete.GetProperty("transcription_success").GetBoolean());
        Assert.Equal(stage.StartsWith("tts"), complete.GetProperty("chat_success").GetBoolean());
        Assert.False(complete.GetProperty("tts_success").GetBoolean());

        var calls = await app.CallsAsync(userId);
        var failed = calls.Single(c => c.Status != "succeeded");
        Assert.Equal(0, await app.HoldCountAsync(userId));
        Assert.Equal(await app.LedgerSumAsync(userId), await app.BalanceAsync(userId));
        if (stage.StartsWith("asr") || stage == "chat") Assert.Equal(0, failed.Charged);
        else Assert.True(failed.Charged < failed.Reserved); // the speech produced before the failure is paid, the rest refunded

        app.Voice.ResetVoice();
        frames = await AskAsync(client);
        Assert.True(frames[^1].Body.GetProperty("tts_success").GetBoolean());
    }

    [Fact]
    public async Task The_client_going_away_mid_answer_cancels_the_chat_request_and_the_tts_socket_and_pays_for_what_was_produced()
    {
        app.Voice.ResetVoice();
        app.Voice.Reply = string.Concat(Enumerable.Repeat("这是一个很长的回答。", 40));
        app.Voice.ChunkDelay = TimeSpan.FromMilliseconds(30);
        var (userId, key) = await app.UserWithKeyAsync();
        var client = await app.ConnectAsync(Route, key);
        await client.ExpectAsync("connected");
        var chatAborted = app.Voice.ChatAborted;
        var ttsAborted = app.Voice.TtsAborted;
        await client.SendUploadAsync(Question);
        while ((await client.ReceiveAsync())!.Value.Key != "audio_stream") { }
        client.Socket.Abort();
        await client.DisposeAsync();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        // The call rows reach the store through the journal, a moment after the holds are gone.
        while ((app.Voice.ChatAborted == chatAborted || app.Voice.TtsAborted == ttsAborted || await app.HoldCountAsync(userId) > 0
                || (await app.CallsAsync(userId)).Count < 3) && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.Equal(chatAborted + 1, app.Voice.ChatAborted);
        Assert.Equal(ttsAborted + 1, app.Voice.TtsAborted);
        Assert.Equal(0, await app.HoldCountAsync(userId));
        var calls = await app.CallsAsync(userId);
        Assert.Equal(3, calls.Count);
        var chat = calls.Single(c => c.Model == "qwen-plus");
        Assert.Equal("cancelled", chat.Status);
        Assert.InRange(chat.Charged, 1, chat.Reserved - 1);
        Assert.Equal(await app.LedgerSumAsync(userId), await app.BalanceAsync(userId));
    }

    [Fact]
    public async Task A_question_sent_during_an_answer_waits_its_turn_and_a_third_is_refused()
    {
        app.Voice.ResetVoice();
        app.Voice.ChunkDelay = TimeSpan.FromMilliseconds(40);
        var (_, key) = await app.UserWithKeyAsync();
        await using var client = await app.ConnectAsync(Route, key);
        await client.ExpectAsync("connected");
        await client.SendUploadAsync(Question);
        await client.ReadUntilAsync("chat_started");
        await client.SendUploadAsync(Question, readAcks: false);
        await client.SendUploadAsync(Question, readAcks: false);
        var frames = await client.ReadUntilAsync("audio_complete");
        Assert.Contains(frames, f => f.Key == "error" && f.Body.GetProperty("code").GetInt32() == 429);
        Assert.Equal(2 * ((Question.Length + 8191) / 8192), frames.Count(f => f.Key == "packet_ack"));
        frames = await client.ReadUntilAsync("audio_complete");
        Assert.True(frames[^1].Body.GetProperty("tts_success").GetBoolean());
        Assert.DoesNotContain(frames, f => f.Key == "error");
    }

    [Fact]
    public async Task A_vision_question_sends_the_image_inline_and_speaks_the_answer()
    {
        app.Voice.ResetVoice();
        var (_, key) = await app.UserWithKeyAsync();
        await using var client = await app.ConnectAsync("/v1/chat/vlm", key);
        Assert.Equal("VLM连接已建立", (await client.ExpectAsync("connected")).Body.GetProperty("message").GetString());
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        await client.SendUploadAsync(Question, 50 * 1024, "audio");
        await client.SendUploadAsync(png, 50 * 1024, "image");
        await client.SendAsync(new { type = "end" });
        var frames = await client.ReadUntilAsync("vlm_complete");
        var started = frames.Single(f => f.Key == "vlm_chat_started").Body;
        Assert.Equal(app.Voice.Transcript, started.GetProperty("user_message").GetString());
        var imageUrl = new Uri(started.GetProperty("image_url").GetString()!);
        using var http = app.CreateClient();
        Assert.Equal(png, await http.GetByteArrayAsync(imageUrl.PathAndQuery));
        Assert.Equal(app.Voice.Reply, string.Concat(frames.Where(f => f.Key == "vlm_chat_chunk").Select(f => f.Body.GetProperty("chunk").GetString())));
        var content = app.Voice.ChatBodies.Last()["messages"]!.AsArray().Last()!["content"]!.AsArray();
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(png), content[0]!["image_url"]!["url"]!.GetValue<string>());
        Assert.Equal(app.Voice.Transcript, content[1]!["text"]!.GetValue<string>());
        Assert.Equal("qwen-vl-plus", app.Voice.ChatBodies.Last()["model"]!.GetValue<string>());
        var done = frames.Single(f => f.Key == "vlm_chat_tts_complete").Body;
        Assert.Equal(client.Mp3Chunks.Count, done.GetProperty("audio_chunks").GetInt32());
        Assert.True(TestSpeech.DecodedSeconds(client.Mp3) > 0.5);
        Assert.Equal(png.Length, frames[^1].Body.GetProperty("image_size").GetInt32());

        // Not an image; end before the upload is whole: error frames, and the socket goes on.
        await client.SendUploadAsync(Question, 50 * 1024, "audio");
        await client.SendUploadAsync("not an image at all"u8.ToArray(), 50 * 1024, "image");
        await client.SendAsync(new { type = "end" });
        Assert.Contains("image", (await client.ExpectAsync("error")).Body.GetProperty("message").GetString());
        await client.SendAsync(new { seq = 1, total = 2, type = "audio", data = Convert.ToBase64String(new byte[10]) });
        await client.ExpectAsync("packet_ack");
        await client.SendAsync(new { type = "end" });
        Assert.Contains("audio 1/2", (await client.ExpectAsync("error")).Body.GetProperty("message").GetString());
        await client.SendAsync(new { seq = 1, total = 1, type = "video", data = "AAAA" });
        Assert.Equal(400, (await client.ExpectAsync("error")).Body.GetProperty("code").GetInt32());
    }
}
