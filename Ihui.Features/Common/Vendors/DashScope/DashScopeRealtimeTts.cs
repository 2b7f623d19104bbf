using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ihui.Features.Common.Configuration;
using Ihui.Features.Common.Errors;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Common.Vendors.DashScope;

/// <summary>The realtime TTS settings (seed 004's names): the socket URL (its <c>model</c> query names the model), voice, rate, format.</summary>
public sealed record RealtimeTtsOptions(Uri Url, string Model, string Voice, int SampleRate, string ResponseFormat, TimeSpan StallTimeout)
{
    public const string DefaultUrl = "wss://dashscope.aliyuncs.com/api-ws/v1/realtime?model=qwen-tts-realtime";

    public static RealtimeTtsOptions From(IConfiguration c)
    {
        var url = Setting.Url(c, "REAL_TIME_AUDIO_URL", DefaultUrl, "wss", "ws");
        var model = System.Web.HttpUtility.ParseQueryString(url.Query)["model"] is { Length: > 0 } m ? m : Setting.Text(c, "TTS_MODEL", "qwen-tts-realtime");
        var rate = Setting.Int(c, "TTS_SAMPLE_RATE", 24000, 8000, 48000);
        if (rate is not (8000 or 16000 or 24000 or 48000)) throw Setting.Invalid("TTS_SAMPLE_RATE", rate.ToString(System.Globalization.CultureInfo.InvariantCulture), "expected 8000, 16000, 24000 or 48000");
        return new RealtimeTtsOptions(url, model, Setting.Text(c, "TTS_VOICE", "Cherry"), rate,
            Setting.OneOf(c, "TTS_RESPONSE_FORMAT", "pcm", "pcm", "mp3"),
            Setting.Seconds(c, "TTS_STALL_TIMEOUT_SECONDS", 20, 600));
    }
}

/// <summary>One event of a realtime TTS session that matters to a caller.</summary>
public abstract record TtsEvent
{
    /// <summary>Audio bytes (<c>response.audio.delta</c>, base64-decoded): PCM 16-bit mono, or MP3 when asked for.</summary>
    public sealed record Audio(byte[] Bytes) : TtsEvent;

    /// <summary>A response (one committed text) is complete; <see cref="Characters"/> is the vendor's count when it gives one.</summary>
    public sealed record ResponseDone(long? Characters) : TtsEvent;
}

/// <summary>
/// DashScope's realtime speech synthesis over its WebSocket (vendor-protocols.md §3g): <c>session.created</c> →
/// <c>session.update</c> (commit mode) → per text <c>input_text_buffer.append</c> + <c>commit</c> → audio deltas and
/// <c>response.done</c> → <c>session.finish</c> → <c>session.finished</c>. Bearer auth with <c>DASHSCOPE_API_KEY</c>.
/// The socket is read only as fast as the caller takes events, so a slow consumer slows the vendor, nothing is dropped.
/// </summary>
public sealed class DashScopeRealtimeTts(VendorEndpoints endpoints, RealtimeTtsOptions options)
{
    /// <summary>
    /// The TTS socket's kernel receive buffer (about 4 s of 24 kHz PCM as base64 JSON). Left to autotuning it grows to
    /// megabytes, a minute and more of audio read ahead of a slow client; capped, backpressure reaches the vendor.
    /// </summary>
    public const int ReceiveBufferBytes = 256 * 1024;

    private static readonly HttpMessageInvoker Invoker = new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        ConnectTimeout = Hosting.CoreServices.VendorConnectTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = async (context, ct) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp)
            {
                NoDelay = true,
                ReceiveBufferSize = ReceiveBufferBytes,
            };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });

    public RealtimeTtsOptions Options => options;
    public string VendorName => KnownVendors.DashScope.Name;

    public async Task<RealtimeTtsSession> ConnectAsync(CancellationToken ct)
    {
        var vendor = endpoints.Get(KnownVendors.DashScope);
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + vendor.RequireKey());
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
        var session = new RealtimeTtsSession(socket, options, vendor.Name);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.StallTimeout);
            try
            {
                await socket.ConnectAsync(options.Url, Invoker, timeout.Token);
            }
            catch (WebSocketException e) when (!ct.IsCancellationRequested)
            {
                throw e.Message.Contains("401") || e.Message.Contains("403")
                    ? ApiException.VendorError(vendor.Name, $"rejected the gateway's credentials (check {vendor.Definition.KeyVariable})")
                    : ApiException.VendorError(vendor.Name, "speech synthesis socket unreachable");
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw ApiException.VendorTimeout(vendor.Name);
            }
            await session.StartAsync(ct);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }
}

public sealed class RealtimeTtsSession(ClientWebSocket socket, RealtimeTtsOptions options, string vendor) : IAsyncDisposable
{
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _pending;
    private long _lastActivity = Environment.TickCount64;
    private bool _finishing;
    private int _eventId;

    internal async Task StartAsync(CancellationToken ct)
    {
        await ExpectAsync("session.created", ct);
        await SendAsync(new JsonObject
        {
            ["type"] = "session.update",
            ["session"] = new JsonObject
            {
                ["voice"] = options.Voice,
                ["mode"] = "commit",
                ["response_format"] = options.ResponseFormat,
                ["sample_rate"] = options.SampleRate,
            },
        }, ct);
        await ExpectAsync("session.updated", ct);
    }

    /// <summary>Sends one text to speak and commits it: the vendor answers it as one response.</summary>
    public async Task SpeakAsync(string text, CancellationToken ct)
    {
        Interlocked.Increment(ref _pending);
        Touch();
        await SendAsync(new JsonObject { ["type"] = "input_text_buffer.append", ["text"] = text }, ct);
        await SendAsync(new JsonObject { ["type"] = "input_text_buffer.commit" }, ct);
    }

    /// <summary>No more text: the vendor flushes what is left, sends <c>session.finished</c> and closes.</summary>
    public async Task FinishAsync(CancellationToken ct)
    {
        _finishing = true;
        Touch();
        await SendAsync(new JsonObject { ["type"] = "session.finish" }, ct);
    }

    /// <summary>
    /// Audio and response ends until <c>session.finished</c>. A vendor <c>error</c> event, a cut socket or a stall
    /// (no event for <see cref="RealtimeTtsOptions.StallTimeout"/> while audio is owed) ends it with a 502 or 408.
    /// </summary>
    public async IAsyncEnumerable<TtsEvent> ReadAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        while (true)
        {
            var root = await ReceiveAsync(ct);
            var type = root["type"]?.GetValue<string>();
            switch (type)
            {
                case "response.audio.delta":
                    byte[] audio;
                    try
                    {
                        audio = Convert.FromBase64String(root["delta"]?.GetValue<string>() ?? "");
                    }
                    catch (FormatException)
                    {
                        throw ApiException.VendorError(vendor, "speech synthesis sent audio that is not base64");
                    }
                    if (audio.Length > 0) yield return new TtsEvent.Audio(audio);
                    break;
                case "response.done":
                    Interlocked.Decrement(ref _pending);
                    var usage = root["response"]?["usage"];
                    long? characters = usage?["characters"] is JsonValue v && v.TryGetValue<long>(out var n) ? n : null;
                    yield return new TtsEvent.ResponseDone(characters);
                    break;
                case "session.finished":
                    yield break;
                case "error":
                    var error = root["error"];
                    throw ApiException.VendorError(vendor, "speech synthesis failed: " +
                        Limit(error?["message"]?.ToString() ?? error?["code"]?.ToString() ?? "error event"));
            }
        }
    }

    private void Touch() => Volatile.Write(ref _lastActivity, Environment.TickCount64);

    private async Task ExpectAsync(string type, CancellationToken ct)
    {
        _finishing = true; // the handshake owes an answer: the stall clock runs
        Touch();
        var root = await ReceiveAsync(ct);
        _finishing = false;
        var got = root["type"]?.GetValue<string>();
        if (got == "error")
            throw ApiException.VendorError(vendor, "speech synthesis refused the session: " + Limit(root["error"]?["message"]?.ToString() ?? "error"));
        if (got != type) throw ApiException.VendorError(vendor, $"speech synthesis sent {Limit(got ?? "a frame without type")} where {type} was due");
    }

    private async Task<JsonNode> ReceiveAsync(CancellationToken ct)
    {
        using var message = new MemoryStream();
        Touch(); // the clock measures the vendor's silence while we wait, not the time our consumer took
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var receive = ReceiveMessageAsync(message, stop.Token);
        // The stall clock runs only while the vendor owes audio; waiting for the answer's next sentence is not a stall.
        while (!receive.IsCompleted)
        {
            var tick = Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, Math.Max(50, options.StallTimeout.TotalMilliseconds / 4))), stop.Token);
            await Task.WhenAny(receive, tick);
            if (receive.IsCompleted) break;
            var owed = Volatile.Read(ref _pending) > 0 || _finishing;
            if (owed && Environment.TickCount64 - Volatile.Read(ref _lastActivity) > options.StallTimeout.TotalMilliseconds)
            {
                await stop.CancelAsync();
                socket.Abort();
                try { await receive; } catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
                throw ApiException.VendorTimeout(vendor);
            }
        }
        WebSocketMessageType kind;
        try
        {
            kind = await receive;
        }
        catch (WebSocketException)
        {
            throw ApiException.VendorError(vendor, "speech synthesis socket was cut");
        }
        Touch();
        if (kind == WebSocketMessageType.Close) throw ApiException.VendorError(vendor, "speech synthesis closed the socket before session.finished");
        if (kind == WebSocketMessageType.Binary) throw ApiException.VendorError(vendor, "speech synthesis sent a binary frame");
        try
        {
            return JsonNode.Parse(message.GetBuffer().AsSpan(0, (int)message.Length)) as JsonObject
                   ?? throw ApiException.VendorError(vendor, "speech synthesis sent a frame that is not a JSON object");
        }
        catch (JsonException)
        {
            throw ApiException.VendorError(vendor, "speech synthesis sent a frame that is not JSON");
        }
    }

    private async Task<WebSocketMessageType> ReceiveMessageAsync(MemoryStream message, CancellationToken ct)
    {
        while (true)
        {
            var result = await socket.ReceiveAsync(_buffer, ct);
            if (result.MessageType == WebSocketMessageType.Close) return result.MessageType;
            if (message.Length + result.Count > 16 * 1024 * 1024) throw new WebSocketException("frame too large");
            message.Write(_buffer, 0, result.Count);
            if (result.EndOfMessage) return result.MessageType;
        }
    }

    private async Task SendAsync(JsonObject e, CancellationToken ct)
    {
        e["event_id"] = "event_" + Interlocked.Increment(ref _eventId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var bytes = Encoding.UTF8.GetBytes(e.ToJsonString());
        await _send.WaitAsync(ct);
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, true, ct);
        }
        catch (WebSocketException)
        {
            throw ApiException.VendorError(vendor, "speech synthesis socket was cut");
        }
        finally
        {
            _send.Release();
        }
    }

    private static string Limit(string s) => s.Length > 200 ? s[..200] : s;

    /// <summary>Closes at once (the caller is done or gone): the vendor sees the socket go.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                using var quick = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", quick.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        socket.Abort();
        socket.Dispose();
    }
}
