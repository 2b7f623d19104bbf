using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ihui.Features.Voice.Audio;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Ihui.Tests.Fakes;

public enum VoiceStageMode { Normal, Fail, Hang, Cut }

/// <summary>
/// DashScope as the voice sockets use it, on one base URL: compatible-mode chat (qwen3-asr-flash with
/// <c>input_audio</c> answered as a transcription, any other model as a streamed answer), paraformer's async file
/// transcription (<c>X-DashScope-Async</c> submit, task poll, signed result JSON) and the realtime TTS WebSocket
/// speaking the real event protocol (vendor-protocols.md §3g) with PCM made from real speech. Bearer key checked on all.
/// </summary>
public sealed class FakeDashScopeVoice(string apiKey) : FakeVendor
{
    public string Transcript { get; set; } = "今天天气怎么样？";
    public string Reply { get; set; } = DefaultReply;
    public int ChunkChars { get; set; } = 3;
    public TimeSpan ChunkDelay { get; set; } = TimeSpan.Zero;
    public VoiceStageMode AsrMode { get; set; }
    public VoiceStageMode ChatMode { get; set; }
    public VoiceStageMode TtsMode { get; set; }
    public int ChatFailStatus { get; set; } = 500;

    /// <summary>PCM (24 kHz, 16-bit mono) each TTS response speaks; looped to <see cref="SecondsPerSegment"/> when set.</summary>
    public byte[] SpeechPcm { get; set; } = [];
    public double? SecondsPerSegment { get; set; }
    public int DeltaBytes { get; set; } = 4800;

    public ConcurrentQueue<byte[]> AsrAudio { get; } = new();
    public ConcurrentQueue<string> TranscriptionUrls { get; } = new();
    public ConcurrentQueue<JsonNode> ChatBodies { get; } = new();
    public ConcurrentQueue<string> TtsTexts { get; } = new();
    public ConcurrentQueue<JsonNode> TtsSessionUpdates { get; } = new();

    private long _pcmSent;
    private int _ttsOpen, _ttsAborted, _chatAborted, _ttsFinished;
    public long PcmBytesSent => Interlocked.Read(ref _pcmSent);
    public int TtsOpen => Volatile.Read(ref _ttsOpen);
    /// <summary>TTS sockets the gateway closed or dropped before <c>session.finished</c>.</summary>
    public int TtsAborted => Volatile.Read(ref _ttsAborted);
    public int TtsFinished => Volatile.Read(ref _ttsFinished);
    /// <summary>Streamed answers the gateway abandoned mid-stream.</summary>
    public int ChatAborted => Volatile.Read(ref _chatAborted);

    public string WsUrl(string model = "qwen-tts-realtime") => BaseUrl.Replace("http://", "ws://") + "/api-ws/v1/realtime?model=" + model;

    private readonly ConcurrentDictionary<string, string> _tasks = new();

    public void ResetVoice()
    {
        Reset();
        AsrMode = ChatMode = TtsMode = VoiceStageMode.Normal;
        ChunkDelay = TimeSpan.Zero;
        SecondsPerSegment = null;
        Transcript = "今天天气怎么样？";
        Reply = DefaultReply;
        AsrAudio.Clear();
        TranscriptionUrls.Clear();
        ChatBodies.Clear();
        TtsTexts.Clear();
        Interlocked.Exchange(ref _pcmSent, 0);
    }

    public const string DefaultReply = "今天**天气**晴朗😀，气温二十度。适合出门散步！详情见 https://weather.example.com/today 。";

    /// <summary>The fake's own socket send buffer (null: the kernel's autotuning), so what it counts as sent is near what Ihui read.</summary>
    public int? SendBufferBytes { get; init; }

    protected override void ConfigureServices(Microsoft.Extensions.DependencyInjection.IServiceCollection services) =>
        Microsoft.Extensions.DependencyInjection.OptionsServiceCollectionExtensions.Configure<Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions>(services, o =>
        {
            if (SendBufferBytes is not { } size) return;
            o.CreateBoundListenSocket = endpoint =>
            {
                var s = Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
                s.SendBufferSize = size;
                return s;
            };
        });

    private bool Authorized(HttpContext ctx) => ctx.Request.Headers.Authorization.ToString() == "Bearer " + apiKey;

    protected override void Map(WebApplication app)
    {
        app.UseWebSockets();
        app.MapPost("/compatible-mode/v1/chat/completions", async (HttpContext ctx) =>
        {
            if (!Authorized(ctx)) return Error(401, "invalid_api_key", "Incorrect API key provided.");
            var body = JsonNode.Parse(Current(ctx).Body)!;
            var model = body["model"]?.GetValue<string>() ?? "";
            if (model.StartsWith("qwen3-asr", StringComparison.Ordinal)) return await AsrAsync(ctx, body);
            ChatBodies.Enqueue(body);
            return await ChatAsync(ctx, model);
        });
        app.MapPost("/api/v1/services/audio/asr/transcription", (HttpContext ctx) =>
        {
            if (!Authorized(ctx)) return Error(401, "InvalidApiKey", "Invalid API-key provided.");
            if (ctx.Request.Headers["X-DashScope-Async"] != "enable") return Error(400, "InvalidParameter", "current user api does not support synchronous calls");
            var body = JsonNode.Parse(Current(ctx).Body)!;
            var url = body["input"]?["file_urls"]?[0]?.GetValue<string>();
            if (url is null || !url.StartsWith("http", StringComparison.Ordinal)) return Error(400, "InvalidParameter", "file_urls must be URLs");
            TranscriptionUrls.Enqueue(url);
            var id = Guid.NewGuid().ToString();
            _tasks[id] = AsrMode == VoiceStageMode.Fail ? "FAILED" : "SUCCEEDED";
            return Results.Json(new { request_id = "r1", output = new { task_id = id, task_status = "PENDING" } });
        });
        app.MapGet("/api/v1/tasks/{id}", (string id, HttpContext ctx) =>
        {
            if (!Authorized(ctx)) return Error(401, "InvalidApiKey", "Invalid API-key provided.");
            if (!_tasks.TryGetValue(id, out var status)) return Results.Json(new { output = new { task_id = id, task_status = "UNKNOWN" } });
            if (status == "FAILED") return Results.Json(new { output = new { task_id = id, task_status = "FAILED", code = "Decode.Error", message = "audio undecodable" } });
            return Results.Json(new
            {
                request_id = "r2",
                output = new
                {
                    task_id = id, task_status = "SUCCEEDED",
                    results = new[] { new { file_url = "x", transcription_url = BaseUrl + "/results/" + id + ".json?Expires=1&Signature=abc", subtask_status = "SUCCEEDED" } },
                },
                usage = new { duration = 3 },
            });
        });
        app.MapGet("/results/{file}", (HttpContext ctx) => ctx.Request.Headers.Authorization.Count > 0
            ? Results.StatusCode(400) // a signed OSS link refuses a second credential
            : Results.Json(new { transcripts = new[] { new { channel_id = 0, text = Transcript } } }));
        app.Map("/api-ws/v1/realtime", TtsAsync);
    }

    private async Task<IResult> AsrAsync(HttpContext ctx, JsonNode body)
    {
        if (AsrMode == VoiceStageMode.Fail) return Error(500, "InternalError", "fake ASR failure");
        if (AsrMode == VoiceStageMode.Hang)
        {
            await Task.Delay(Timeout.Infinite, ctx.RequestAborted).ContinueWith(_ => { });
            return Results.Empty;
        }
        var data = body["messages"]?[0]?["content"]?[0]?["input_audio"]?["data"]?.GetValue<string>();
        const string prefix = "data:audio/mpeg;base64,";
        if (data is null || !data.StartsWith(prefix, StringComparison.Ordinal)) return Error(400, "InvalidParameter", "input_audio.data must be a data URL");
        var audio = Convert.FromBase64String(data[prefix.Length..]);
        var seconds = Mp3FrameReader.Duration(audio);
        if (seconds <= 0) return Error(400, "InvalidParameter", "The audio is invalid");
        AsrAudio.Enqueue(audio);
        return Results.Json(new
        {
            id = "chatcmpl-asr", @object = "chat.completion", model = "qwen3-asr-flash",
            choices = new[] { new { index = 0, finish_reason = "stop", message = new { role = "assistant", content = Transcript } } },
            usage = new { prompt_tokens = 40, completion_tokens = 8, total_tokens = 48, seconds = (int)Math.Ceiling(seconds) },
        });
    }

    private async Task<IResult> ChatAsync(HttpContext ctx, string model)
    {
        if (ChatMode == VoiceStageMode.Fail) return Error(ChatFailStatus, "internal_error", "fake chat failure");
        ctx.Response.ContentType = "text/event-stream";
        try
        {
            async Task Send(object o)
            {
                await ctx.Response.WriteAsync("data: " + JsonSerializer.Serialize(o) + "\n\n", ctx.RequestAborted);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            }
            for (var i = 0; i < Reply.Length; i += ChunkChars)
            {
                if (ChatMode == VoiceStageMode.Hang && i > 0)
                {
                    await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
                }
                if (ChatMode == VoiceStageMode.Cut && i >= Reply.Length / 2)
                {
                    await Task.Delay(100);
                    ctx.Abort();
                    return Results.Empty;
                }
                await Send(new { id = "c", @object = "chat.completion.chunk", model, choices = new[] { new { index = 0, delta = new { content = Reply.Substring(i, Math.Min(ChunkChars, Reply.Length - i)) }, finish_reason = (string?)null } } });
                if (ChunkDelay > TimeSpan.Zero) await Task.Delay(ChunkDelay, ctx.RequestAborted);
            }
            await Send(new { id = "c", @object = "chat.completion.chunk", model, choices = Array.Empty<object>(), usage = new { prompt_tokens = 50, completion_tokens = Reply.Length, total_tokens = 50 + Reply.Length } });
            await ctx.Response.WriteAsync("data: [DONE]\n\n");
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            Interlocked.Increment(ref _chatAborted);
        }
        return Results.Empty;
    }

    private async Task TtsAsync(HttpContext ctx)
    {
        if (!ctx.WebSockets.IsWebSocketRequest)
        {
            ctx.Response.StatusCode = 400;
            return;
        }
        if (!Authorized(ctx))
        {
            ctx.Response.StatusCode = 401;
            return;
        }
        using var ws = await ctx.WebSockets.AcceptWebSocketAsync();
        Interlocked.Increment(ref _ttsOpen);
        var finished = false;
        var n = 0;
        Task Send(JsonObject e)
        {
            e["event_id"] = "event_s" + Interlocked.Increment(ref n);
            return ws.SendAsync(Encoding.UTF8.GetBytes(e.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        try
        {
            await Send(new JsonObject { ["type"] = "session.created", ["session"] = new JsonObject { ["id"] = "sess_1" } });
            var buffer = new StringBuilder();
            while (true)
            {
                var frame = await ReceiveAsync(ws);
                if (frame is null) break;
                switch (frame["type"]?.GetValue<string>())
                {
                    case "session.update":
                        TtsSessionUpdates.Enqueue(frame);
                        await Send(new JsonObject { ["type"] = "session.updated", ["session"] = frame["session"]!.DeepClone() });
                        break;
                    case "input_text_buffer.append":
                        buffer.Append(frame["text"]!.GetValue<string>());
                        break;
                    case "input_text_buffer.commit":
                        var text = buffer.ToString();
                        buffer.Clear();
                        TtsTexts.Enqueue(text);
                        await Send(new JsonObject { ["type"] = "input_text_buffer.committed", ["item_id"] = "item_1" });
                        await RespondAsync(ws, Send, text);
                        break;
                    case "session.finish":
                        await Send(new JsonObject { ["type"] = "session.finished" });
                        finished = true;
                        Interlocked.Increment(ref _ttsFinished);
                        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "finished", CancellationToken.None);
                        // A server completes the close handshake: returning at once would close the TCP socket with
                        // the client's keep-alive pongs unread, and the kernel answers that with a RST that destroys
                        // the audio still in flight to a slow reader.
                        using (var linger = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
                        {
                            var sink = new byte[1024];
                            while ((await ws.ReceiveAsync(sink, linger.Token)).MessageType != WebSocketMessageType.Close) { }
                        }
                        return;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
        }
        finally
        {
            if (!finished) Interlocked.Increment(ref _ttsAborted);
        }
    }

    private async Task RespondAsync(WebSocket ws, Func<JsonObject, Task> send, string text)
    {
        await send(new JsonObject { ["type"] = "response.created", ["response"] = new JsonObject { ["id"] = "resp_1", ["status"] = "in_progress" } });
        await send(new JsonObject { ["type"] = "response.output_item.added", ["item"] = new JsonObject { ["id"] = "item_1" } });
        await send(new JsonObject { ["type"] = "response.content_part.added", ["item_id"] = "item_1" });
        var total = SecondsPerSegment is { } s ? (long)(s * 24000) * 2 : SpeechPcm.Length;
        for (long pos = 0; pos < total; pos += DeltaBytes)
        {
            var len = (int)Math.Min(DeltaBytes, total - pos);
            var chunk = new byte[len];
            for (var i = 0; i < len; i++) chunk[i] = SpeechPcm[(pos + i) % SpeechPcm.Length];
            await send(new JsonObject { ["type"] = "response.audio.delta", ["response_id"] = "resp_1", ["item_id"] = "item_1", ["delta"] = Convert.ToBase64String(chunk) });
            Interlocked.Add(ref _pcmSent, len);
            if (pos == 0 && TtsMode == VoiceStageMode.Fail)
            {
                await send(new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["type"] = "server_error", ["code"] = "InternalError", ["message"] = "fake synthesis failure" } });
                return;
            }
            if (pos == 0 && TtsMode == VoiceStageMode.Hang)
            {
                await Task.Delay(TimeSpan.FromMinutes(5));
                return;
            }
        }
        await send(new JsonObject { ["type"] = "response.audio.done", ["item_id"] = "item_1" });
        await send(new JsonObject { ["type"] = "response.content_part.done", ["item_id"] = "item_1" });
        await send(new JsonObject { ["type"] = "response.output_item.done", ["item"] = new JsonObject { ["id"] = "item_1" } });
        await send(new JsonObject
        {
            ["type"] = "response.done",
            ["response"] = new JsonObject { ["id"] = "resp_1", ["status"] = "completed", ["usage"] = new JsonObject { ["characters"] = text.Length } },
        });
    }

    private static async Task<JsonNode?> ReceiveAsync(WebSocket ws)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var r = await ws.ReceiveAsync(buffer, CancellationToken.None);
            if (r.MessageType == WebSocketMessageType.Close) return null;
            message.Write(buffer, 0, r.Count);
            if (r.EndOfMessage) return JsonNode.Parse(message.ToArray());
        }
    }

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new { error = new { message, type = "invalid_request_error", code }, request_id = "fake" }, statusCode: status);
}
