using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Ihui.Features.Voice.Audio;
using Ihui.Features.Common.Chat;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Storage;
using Ihui.Features.Common.Vendors.DashScope;
using Ihui.Features.Common.Vendors.OpenAiCompatible;
using Ihui.Features.Voice.Answer;
using Ihui.Features.Voice.Connect;
using Ihui.Features.Voice.Speak;
using Ihui.Features.Voice.Transcribe;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.Voice.Session;

public enum VoiceFlavor { Audio, Vlm }

/// <summary>What a connection was opened with: its flavor, the API key, the session (history) id and the PCM rate.</summary>
public sealed record VoiceConnection(VoiceFlavor Flavor, string? ApiKey, string SessionId, int PcmSampleRate, Uri? Origin);

/// <summary>
/// One <c>/v1/chat/audio</c> or <c>/v1/chat/vlm</c> connection (seed 004; docs/voice-sockets.md). Packets are
/// assembled while answers run; a complete utterance is answered in turn (one may wait while another is answered).
/// A turn: utterance → MP3 in the object store → ASR → streamed answer (chat chunks to the client, sentences to TTS as
/// they form) → MP3 audio frames. Each vendor stage is its own call through the pipeline (auth, call log, billing).
/// Frames to the client go through two queues: text frames unbounded (an answer's text is small), audio frames bounded
/// and waiting when full, so a slow client slows the TTS socket's reading and no audio is dropped.
/// When the client goes away every stage is cancelled at once; each stage's billing settles what it produced.
/// </summary>
public sealed class VoiceSocketSession(WebSocket socket, VoiceConnection connection, VoiceOptions options, IServiceScopeFactory scopes,
    ILogger logger)
{
    public const string FilesRoute = "/v1/chat/files/";

    private static readonly JsonSerializerOptions FrameJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    private readonly Channel<Outgoing> _control = Channel.CreateUnbounded<Outgoing>();
    private readonly Channel<Outgoing> _ordered = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(options.AudioQueueFrames)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });
    private readonly Channel<Utterance> _utterances = Channel.CreateBounded<Utterance>(1);
    private readonly CancellationTokenSource _gone = new();
    private readonly PacketAssembler _audio = new("audio", options.MaxAudioBytes);
    private readonly PacketAssembler _image = new("image", options.MaxImageBytes);
    private int _outstanding;
    private long _lastActivity = Environment.TickCount64;
    private string _userId = "";

    private bool Vlm => connection.Flavor == VoiceFlavor.Vlm;
    private int MaxPacketBytes => Vlm ? options.VlmPacketBytes : options.AudioPacketBytes;

    private sealed record Outgoing(byte[]? Json, TaskCompletionSource? Reached = null, WebSocketCloseStatus? Close = null, string? Reason = null);

    private sealed record Utterance(byte[] Audio, int AudioPackets, byte[]? Image, int ImagePackets);

    public async Task RunAsync(CancellationToken aborted)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, _gone.Token);
        var ct = linked.Token;
        var writer = WriteLoopAsync(ct);
        try
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                _userId = (await scope.ServiceProvider.GetRequiredService<ISender>().Send(new VoiceConnectRequest(connection.ApiKey), ct)).UserId;
            }
            catch (ApiException e)
            {
                Error(e.Status, e.Message, e.RetryAfter);
                await DrainAsync(ct);
                await CloseAsync(WebSocketCloseStatus.PolicyViolation, "unauthorized");
                return;
            }
            Control("connected", new JsonObject
            {
                ["message"] = Vlm ? "VLM连接已建立" : "音频连接已建立",
                ["session_id"] = connection.SessionId,
            });
            var turns = TurnLoopAsync(ct);
            try
            {
                await ReceiveLoopAsync(ct);
            }
            finally
            {
                await _gone.CancelAsync(); // the client is gone or the socket is closing: stop every stage now
                _utterances.Writer.TryComplete();
                await turns;
            }
        }
        finally
        {
            await _gone.CancelAsync();
            await writer;
        }
    }

    // ---------------------------------------------------------------- client frames

    private async Task ReceiveLoopAsync(CancellationToken ct)
    {
        var receive = ReceiveAsync(ct);
        var tick = TimeSpan.FromMilliseconds(Math.Clamp(Math.Min(options.IdleTimeout.TotalMilliseconds, options.PacketTimeout.TotalMilliseconds) / 4, 20, 500));
        while (true)
        {
            if (await Task.WhenAny(receive, Task.Delay(tick, ct)) != receive)
            {
                if (ct.IsCancellationRequested) return;
                var now = Environment.TickCount64;
                foreach (var a in new[] { _audio, _image })
                    if (a.InProgress && !a.Complete && now - a.LastPacketAt > options.PacketTimeout.TotalMilliseconds)
                    {
                        Error(408, $"{(a == _audio ? "audio" : "image")}: packets {a.Received + 1}..{a.Total} did not arrive within " +
                                   $"{options.PacketTimeout.TotalSeconds:0.#} s: send the upload again from seq 1");
                        a.Reset();
                    }
                if (Volatile.Read(ref _outstanding) == 0 && !_audio.InProgress && !_image.InProgress
                    && now - Volatile.Read(ref _lastActivity) > options.IdleTimeout.TotalMilliseconds)
                {
                    logger.LogInformation("Voice socket {SessionId} idle for {IdleSeconds} s, closing", connection.SessionId, options.IdleTimeout.TotalSeconds);
                    Error(408, $"idle for {options.IdleTimeout.TotalSeconds:0.#} s: closing");
                    await DrainAsync(ct);
                    await CloseAsync(WebSocketCloseStatus.NormalClosure, "idle timeout");
                    // Frames still in the kernel's buffers reach a slow reader before our close does: wait for its answer
                    // rather than tearing the connection down under it.
                    await Task.WhenAny(receive, Task.Delay(TimeSpan.FromSeconds(60), ct));
                    return;
                }
                continue;
            }
            var (kind, text) = await receive;
            if (kind == FrameKind.Closed)
            {
                await CloseAsync(WebSocketCloseStatus.NormalClosure, "bye");
                return;
            }
            Touch();
            try
            {
                switch (kind)
                {
                    case FrameKind.Binary: throw new PacketException(400, "binary frames are not accepted: send JSON text frames");
                    case FrameKind.TooLarge: throw new PacketException(413, $"frame larger than {MaxFrameBytes} bytes");
                    case FrameKind.NotUtf8: throw new PacketException(400, "frame is not valid UTF-8");
                }
                HandleFrame(text!);
            }
            catch (PacketException e)
            {
                Error(e.Status, e.Message);
            }
            receive = ReceiveAsync(ct);
        }
    }

    // base64 is 4/3 of the data; a JSON writer may also escape '+' and '/' (6 bytes each): room for both.
    private int MaxFrameBytes => MaxPacketBytes * 2 + 4096;

    private void HandleFrame(string text)
    {
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(text);
            root = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new PacketException(400, "frame is not valid JSON");
        }
        if (root.ValueKind != JsonValueKind.Object) throw new PacketException(400, "frame must be a JSON object");
        string? type = null;
        if (root.TryGetProperty("type", out var t))
            type = t.ValueKind == JsonValueKind.String ? t.GetString() : throw new PacketException(400, "type must be a string");

        if (Vlm && type == "end")
        {
            EndOfVlmQuestion();
            return;
        }
        if (Vlm ? type is not ("audio" or "image") : type is not null)
            throw new PacketException(400, Vlm
                ? $"unknown frame type \"{Limit(type)}\": expected \"audio\", \"image\" or \"end\""
                : $"unknown frame type \"{Limit(type)}\": send {{\"seq\", \"total\", \"data\"}} packets");

        var seq = Int(root, "seq");
        var total = Int(root, "total");
        if (!root.TryGetProperty("data", out var d) || d.ValueKind != JsonValueKind.String) throw new PacketException(400, "data must be a base64 string");
        byte[] data;
        try
        {
            data = Convert.FromBase64String(d.GetString()!);
        }
        catch (FormatException)
        {
            throw new PacketException(400, "data is not valid base64");
        }
        if (data.Length > MaxPacketBytes) throw new PacketException(413, $"a packet holds at most {MaxPacketBytes} bytes of data");
        if (data.Length == 0) throw new PacketException(400, "data is empty");

        var assembler = type == "image" ? _image : _audio;
        assembler.Add(seq, total, data);
        var ack = new JsonObject { ["seq"] = seq };
        if (Vlm) ack["type"] = type;
        ack["received"] = assembler.Received;
        ack["total"] = total;
        Control("packet_ack", ack);
        if (!Vlm && _audio.Complete) Enqueue(new Utterance(_audio.Take(), total, null, 0));
    }

    private void EndOfVlmQuestion()
    {
        if (!_audio.Complete || !_image.Complete)
        {
            var missing = $"audio {_audio.Received}/{(_audio.Total?.ToString() ?? "?")}, image {_image.Received}/{(_image.Total?.ToString() ?? "?")}";
            _audio.Reset();
            _image.Reset();
            throw new PacketException(400, $"end before the question was complete ({missing}): send the audio and the image again");
        }
        var audioPackets = _audio.Total!.Value;
        var imagePackets = _image.Total!.Value;
        Enqueue(new Utterance(_audio.Take(), audioPackets, _image.Take(), imagePackets));
    }

    private void Enqueue(Utterance u)
    {
        Interlocked.Increment(ref _outstanding);
        if (_utterances.Writer.TryWrite(u)) return;
        Interlocked.Decrement(ref _outstanding);
        throw new PacketException(429, "one question is already waiting to be answered: send the next when its answer is complete");
    }

    private static int Int(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n)
            ? n
            : throw new PacketException(400, $"{name} must be a whole number");

    // ---------------------------------------------------------------- turns

    private async Task TurnLoopAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var u in _utterances.Reader.ReadAllAsync(ct))
            {
                try
                {
                    await RunTurnAsync(u, ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    logger.LogError(e, "Voice turn failed");
                    Error(500, "internal error");
                }
                finally
                {
                    Interlocked.Decrement(ref _outstanding);
                    Touch();
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private sealed record TurnReport
    {
        public string FileName { get; init; } = "";
        public int Packets { get; init; }
        public long Size { get; init; }
        public double? Duration { get; init; }
        public bool Stored { get; init; }
        public Uri? Url { get; init; }
        public string? ImageName { get; init; }
        public long ImageSize { get; init; }
        public Uri? ImageUrl { get; init; }
        public bool TranscriptionOk { get; init; }
        public string Transcription { get; init; } = "";
        public bool ChatOk { get; init; }
        public string Answer { get; init; } = "";
        public bool TtsOk { get; init; }
    }

    private async Task RunTurnAsync(Utterance u, CancellationToken ct)
    {
        var started = DateTime.UtcNow;
        string? imageMime = null;
        if (u.Image is not null && (imageMime = ImageType(u.Image)) is null)
        {
            Error(400, "image: not a JPEG, PNG, GIF, WebP or BMP file");
            return;
        }
        AudioClip clip;
        try
        {
            clip = AudioInput.Prepare(u.Audio, connection.PcmSampleRate);
        }
        catch (AudioFormatException e)
        {
            Error(400, "audio: " + e.Message);
            return;
        }
        catch (AudioCodecUnavailableException e)
        {
            Error(503, e.Message);
            return;
        }
        if (clip.Seconds > options.MaxAudioSeconds)
        {
            Error(413, $"audio: {clip.Seconds:0.#} s is longer than the {options.MaxAudioSeconds} s speech recognition takes");
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var store = services.GetRequiredService<IObjectStore>();
        var urls = services.GetRequiredService<PublicUrls>();
        var report = new TurnReport { Packets = u.AudioPackets, Size = clip.Bytes.Length, Duration = clip.Seconds is { } s ? Math.Round(s, 2) : null };

        var (audioName, audioUrl) = await StoreAsync(store, urls, clip.Extension, clip.MimeType, clip.Bytes, ct);
        report = report with { FileName = audioName, Stored = audioUrl is not null, Url = audioUrl };
        if (u.Image is not null)
        {
            var (imageName, imageUrl) = await StoreAsync(store, urls, imageMime!.Split('/')[1].Replace("jpeg", "jpg"), imageMime, u.Image, ct);
            report = report with { ImageName = imageName, ImageSize = u.Image.Length, ImageUrl = imageUrl };
        }
        Control("transcription_started", new JsonObject { ["message"] = "开始语音识别...", ["oss_url"] = audioUrl?.AbsoluteUri });

        // Speech recognition
        var publicUrl = audioUrl is not null && (store.DirectUrl(audioName) is not null || services.GetRequiredService<StorageOptions>().PublicBaseUrl is not null)
            ? audioUrl : null;
        var asrModel = options.AsrNeedsUrl && publicUrl is null ? options.InlineAsrModel : options.AsrModel;
        string question;
        try
        {
            await using var asrScope = scopes.CreateAsyncScope();
            var sender = asrScope.ServiceProvider.GetRequiredService<ISender>();
            var result = Vlm
                ? await sender.Send(new TranscribeVlmSocketRequest(connection.ApiKey, connection.SessionId, asrModel, clip, publicUrl, options.MaxAudioSeconds), ct)
                : await sender.Send(new TranscribeAudioSocketRequest(connection.ApiKey, connection.SessionId, asrModel, clip, publicUrl, options.MaxAudioSeconds), ct);
            question = result.Text;
        }
        catch (Exception e) when (Failure(e) is { } f)
        {
            Error(f.Status, "speech recognition failed: " + f.Message, f.RetryAfter);
            await CompleteAsync(report, 0, 0, 0, false, ct);
            return;
        }
        report = report with { TranscriptionOk = true, Transcription = question };
        if (question.Length == 0)
        {
            Control(Vlm ? "vlm_chat_started" : "chat_started", new JsonObject { ["message"] = "跳过对话生成：语音识别失败或结果为空" });
            await CompleteAsync(report, 0, 0, 0, false, ct);
            return;
        }

        // The answer, spoken as it streams
        var history = services.GetRequiredService<ChatHistoryStore>();
        IReadOnlyList<ChatHistoryMessage> earlier;
        try
        {
            earlier = await history.LoadAsync(connection.SessionId, _userId, options.HistoryMaxTurns * 2, options.HistoryMaxChars, ct);
        }
        catch (ApiException e)
        {
            Error(e.Status, e.Message, e.RetryAfter);
            await CompleteAsync(report, 0, 0, 0, false, ct);
            return;
        }
        var messages = new List<ChatMessage> { new("system", options.SystemPrompt) };
        messages.AddRange(earlier.Select(m => new ChatMessage(m.Role, m.Content)));
        messages.Add(u.Image is null
            ? new ChatMessage("user", question)
            : new ChatMessage("user", new List<ContentPart>
            {
                ContentPart.FromImage($"data:{imageMime};base64,{Convert.ToBase64String(u.Image)}"),
                ContentPart.FromText(question),
            }));
        var started2 = new JsonObject { ["message"] = Vlm ? "开始生成多模态AI回答..." : "开始生成AI回答...", ["user_message"] = question };
        if (Vlm) started2["image_url"] = report.ImageUrl?.AbsoluteUri;
        Control(Vlm ? "vlm_chat_started" : "chat_started", started2);

        using var turn = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sentences = Channel.CreateBounded<string>(new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        var speech = SpeakAsync(sentences.Reader, options.MaxAnswerTokens * 2, turn.Token);
        var segmenter = new SpeechSegmenter();
        var answer = new StringBuilder();
        var totalSegments = 0;
        var chatOk = false;
        try
        {
            await using var chatScope = scopes.CreateAsyncScope();
            var sender = chatScope.ServiceProvider.GetRequiredService<ISender>();
            IStreamRequest<ChatStreamChunk> request = Vlm
                ? new VlmSocketAnswerRequest(connection.ApiKey, connection.SessionId, options.VlmModel, messages, options.MaxAnswerTokens)
                : new AudioSocketAnswerRequest(connection.ApiKey, connection.SessionId, options.ChatModel, messages, options.MaxAnswerTokens);
            await foreach (var chunk in sender.CreateStream(request, turn.Token))
            {
                if (chunk.Receipt is not null || chunk.Content is not { } piece) continue;
                answer.Append(piece);
                Control(Vlm ? "vlm_chat_chunk" : "chat_chunk", new JsonObject { ["chunk"] = piece, ["full_response"] = answer.ToString() });
                foreach (var sentence in segmenter.Push(piece)) await SpeakSentenceAsync(sentence);
            }
            foreach (var sentence in segmenter.Finish()) await SpeakSentenceAsync(sentence);
            chatOk = true;
        }
        catch (Exception e) when (Failure(e) is { } f)
        {
            Error(f.Status, (Vlm ? "vision answer failed: " : "answer failed: ") + f.Message, f.RetryAfter);
        }
        finally
        {
            // What was said so far is still spoken; a gone client cancels the turn instead.
            sentences.Writer.TryComplete();
        }

        async Task SpeakSentenceAsync(string sentence)
        {
            if (totalSegments++ == 0) Control("tts_started", new JsonObject { ["message"] = "开始语音合成..." });
            await sentences.Writer.WriteAsync(sentence, turn.Token);
        }

        var dbSaved = false;
        if (chatOk && answer.Length > 0)
        {
            try
            {
                await history.AppendTurnAsync(connection.SessionId, _userId, question, answer.ToString(), started);
                dbSaved = true;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Voice turn of {SessionId} not saved", connection.SessionId);
            }
        }
        var (ttsOk, segments, audioChunks) = await speech;
        report = report with { ChatOk = chatOk, Answer = answer.ToString(), TtsOk = ttsOk && chatOk };
        await CompleteAsync(report, segments, totalSegments, audioChunks, dbSaved, ct);
    }

    /// <summary>Consumes the speech stream: every MP3 run becomes an audio_stream data frame, queued (waiting when full).</summary>
    private async Task<(bool Ok, int Segments, int Chunks)> SpeakAsync(ChannelReader<string> sentences, int maxChars, CancellationToken ct)
    {
        var segments = 0;
        var chunks = 0;
        var ok = false;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var sender = scope.ServiceProvider.GetRequiredService<ISender>();
            IStreamRequest<SpeechChunk> request = Vlm
                ? new VlmSocketSpeakRequest(connection.ApiKey, connection.SessionId, Model(scope), sentences, maxChars)
                : new AudioSocketSpeakRequest(connection.ApiKey, connection.SessionId, Model(scope), sentences, maxChars);
            await foreach (var chunk in sender.CreateStream(request, ct))
            {
                if (chunk.Receipt is not null) continue;
                if (chunk.SegmentDone) segments++; // a segment's end carries its last frames
                if (chunk.Mp3.Length == 0) continue;
                chunks++;
                await OrderedAsync("audio_stream", new JsonObject { ["event"] = "data", ["data"] = Convert.ToBase64String(chunk.Mp3) }, ct);
            }
            ok = true;
        }
        catch (Exception e) when (Failure(e) is { } f)
        {
            Error(f.Status, "speech synthesis failed: " + f.Message, f.RetryAfter);
            // Nobody reads the sentences any more: let the answer go on without waiting for them.
            _ = Task.Run(async () => { await foreach (var _ in sentences.ReadAllAsync(CancellationToken.None)) { } }, CancellationToken.None);
        }
        await OrderedAsync("audio_stream", new JsonObject { ["event"] = "finished" }, ct);
        return (ok, segments, chunks);

        static string Model(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<DashScopeRealtimeTts>().Options.Model;
    }

    private async Task CompleteAsync(TurnReport r, int segments, int totalSegments, int audioChunks, bool dbSaved, CancellationToken ct)
    {
        if (r.TranscriptionOk && r.Transcription.Length > 0)
        {
            var done = Vlm
                ? new JsonObject
                {
                    ["message"] = "VLM对话和TTS合成完成",
                    ["user_message"] = r.Transcription,
                    ["assistant_response"] = r.Answer,
                    ["audio_chunks"] = audioChunks,
                    ["tts_success"] = r.TtsOk,
                    ["segments_count"] = segments,
                    ["total_segments"] = totalSegments,
                    ["db_saved"] = dbSaved,
                }
                : new JsonObject
                {
                    ["message"] = "实时对话生成和语音合成完成",
                    ["assistant_response"] = r.Answer,
                    ["tts_success"] = r.TtsOk,
                    ["segments_count"] = segments,
                    ["total_segments"] = totalSegments,
                    ["db_saved"] = dbSaved,
                    ["audio_chunks"] = audioChunks,
                };
            await OrderedAsync(Vlm ? "vlm_chat_tts_complete" : "chat_tts_complete", done, ct);
        }
        var complete = Vlm
            ? new JsonObject
            {
                ["message"] = "VLM处理完成",
                ["audio_file"] = r.FileName,
                ["image_file"] = r.ImageName,
                ["audio_size"] = r.Size,
                ["image_size"] = r.ImageSize,
                ["duration"] = r.Duration,
                ["transcription"] = r.Transcription,
                ["vlm_response"] = r.Answer,
                ["audio_url"] = r.Url?.AbsoluteUri,
                ["image_url"] = r.ImageUrl?.AbsoluteUri,
                ["transcription_success"] = r.TranscriptionOk,
                ["chat_success"] = r.ChatOk,
                ["tts_success"] = r.TtsOk,
            }
            : new JsonObject
            {
                ["message"] = "音频接收、识别、对话生成和实时语音合成全部完成",
                ["filename"] = r.FileName,
                ["filepath"] = FilesRoute.TrimStart('/') + r.FileName,
                ["size"] = r.Size,
                ["packets"] = r.Packets,
                ["duration"] = r.Duration,
                ["oss_uploaded"] = r.Stored,
                ["oss_url"] = r.Url?.AbsoluteUri,
                ["transcription_success"] = r.TranscriptionOk,
                ["transcription_text"] = r.Transcription,
                ["chat_success"] = r.ChatOk,
                ["assistant_response"] = r.Answer,
                ["tts_success"] = r.TtsOk,
            };
        await OrderedAsync(Vlm ? "vlm_complete" : "audio_complete", complete, ct);
        await DrainAsync(ct);
    }

    private async Task<(string Name, Uri? Url)> StoreAsync(IObjectStore store, PublicUrls urls, string extension, string mime, byte[] bytes,
        CancellationToken ct)
    {
        var name = ObjectNames.Random(extension);
        try
        {
            await store.PutAsync(name, mime, new MemoryStream(bytes, writable: false), ct);
            return (name, urls.For(FilesRoute, name, connection.Origin));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Voice upload of {SessionId} not stored", connection.SessionId);
            return (name, null);
        }
    }

    /// <summary>A stage's failure as the client is told it; null for the cancellation of a gone client (nothing to tell).</summary>
    private ApiException? Failure(Exception e) => e switch
    {
        OperationCanceledException when _gone.IsCancellationRequested => null,
        ApiException a => a,
        OperationCanceledException => null,
        _ => LogInternal(e),
    };

    private ApiException LogInternal(Exception e)
    {
        logger.LogError(e, "Voice stage failed");
        return new ApiException(500, "internal_error", "internal error");
    }

    private static string? ImageType(byte[] b) => b.AsSpan() switch
    {
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] => "image/png",
        [0x47, 0x49, 0x46, 0x38, ..] => "image/gif",
        [0x52, 0x49, 0x46, 0x46, _, _, _, _, 0x57, 0x45, 0x42, 0x50, ..] => "image/webp",
        [0x42, 0x4D, ..] => "image/bmp",
        _ => null,
    };

    // ---------------------------------------------------------------- frames out

    private void Touch() => Volatile.Write(ref _lastActivity, Environment.TickCount64);

    private static byte[] Frame(string key, JsonNode body) =>
        JsonSerializer.SerializeToUtf8Bytes(new JsonObject { [key] = body }, FrameJson);

    private void Control(string key, JsonObject body) => _control.Writer.TryWrite(new Outgoing(Frame(key, body)));

    /// <summary>The seed's error frame, with the status as <c>code</c>.</summary>
    private void Error(int code, string message, TimeSpan? retryAfter = null)
    {
        var body = new JsonObject { ["message"] = message, ["code"] = code };
        // A 429 from Ihui's request limits says when the next question would be admitted.
        if (retryAfter is { } r) body["retry_after"] = Math.Max(1, (int)Math.Ceiling(r.TotalSeconds));
        Control("error", body);
    }

    private ValueTask OrderedAsync(string key, JsonObject body, CancellationToken ct) => _ordered.Writer.WriteAsync(new Outgoing(Frame(key, body)), ct);

    /// <summary>Waits until every frame queued so far has been written.</summary>
    private async Task DrainAsync(CancellationToken ct)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _ordered.Writer.WriteAsync(new Outgoing(null, reached), ct);
        await reached.Task.WaitAsync(ct);
    }

    private async Task WriteLoopAsync(CancellationToken ct)
    {
        try
        {
            while (true)
            {
                // Text frames first: a slow client holds up the audio, never the answer's text.
                if (_control.Reader.TryRead(out var next) || _ordered.Reader.TryRead(out next))
                {
                    if (next.Json is { } json && socket.State == WebSocketState.Open)
                        await socket.SendAsync(json, WebSocketMessageType.Text, true, ct);
                    if (next.Close is { } status)
                    {
                        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                            await socket.CloseOutputAsync(status, next.Reason, ct);
                        next.Reached?.TrySetResult();
                        return;
                    }
                    if (next.Reached is { } reached)
                    {
                        // A drain marker waits for the text frames queued before it, too.
                        while (_control.Reader.TryRead(out var c))
                            if (c.Json is { } cj && socket.State == WebSocketState.Open) await socket.SendAsync(cj, WebSocketMessageType.Text, true, ct);
                        reached.TrySetResult();
                    }
                    continue;
                }
                await Task.WhenAny(_control.Reader.WaitToReadAsync(ct).AsTask(), _ordered.Reader.WaitToReadAsync(ct).AsTask());
                ct.ThrowIfCancellationRequested();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            await _gone.CancelAsync();
        }
    }

    private enum FrameKind { Text, Binary, TooLarge, NotUtf8, Closed }

    private async Task<(FrameKind, string?)> ReceiveAsync(CancellationToken ct)
    {
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        var tooLarge = false;
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, ct);
                if (result.MessageType == WebSocketMessageType.Close) return (FrameKind.Closed, null);
                if (!tooLarge && message.Length + result.Count > MaxFrameBytes)
                {
                    tooLarge = true;
                    message.SetLength(0);
                }
                if (!tooLarge) message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                if (tooLarge) return (FrameKind.TooLarge, null);
                if (result.MessageType == WebSocketMessageType.Binary) return (FrameKind.Binary, null);
                try
                {
                    return (FrameKind.Text, StrictUtf8.GetString(message.GetBuffer(), 0, (int)message.Length));
                }
                catch (DecoderFallbackException)
                {
                    return (FrameKind.NotUtf8, null);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            return (FrameKind.Closed, null);
        }
    }

    /// <summary>The close goes out through the writer (one sender at a time), ahead of queued audio; waits up to 2 s for it.</summary>
    private async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _control.Writer.TryWrite(new Outgoing(null, sent, status, reason));
        await Task.WhenAny(sent.Task, Task.Delay(TimeSpan.FromSeconds(2)));
    }

    private static string? Limit(string? s) => s is { Length: > 40 } ? s[..40] : s;
}
