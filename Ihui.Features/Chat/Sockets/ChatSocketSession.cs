using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Ihui.Features.Common.Chat;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.Chat.Sockets;

/// <summary>What a client's <c>chat</c> frame asked for, with the connection's <c>user_uuid</c>.</summary>
public sealed record ChatTurnInput(string? Prompt, string? ChatId, string? UserUuid);

/// <summary>Runs one turn in the given (per-turn) scope and yields its chunks; admission errors surface on the first MoveNext.</summary>
public delegate IAsyncEnumerable<ChatStreamChunk> ChatTurnRunner(IServiceProvider services, ChatTurnInput input, CancellationToken ct);

/// <summary>
/// One chat-stream WebSocket connection: parses client frames, answers pings, runs at most one turn at a time
/// (each in its own DI scope, so each turn is its own call), reports every failure as an error frame and keeps
/// the socket usable, and closes it when idle. When the client goes away, the running turn is cancelled.
/// </summary>
public sealed class ChatSocketSession(WebSocket socket, ChatOptions options, IServiceScopeFactory scopes, ChatTurnRunner runTurn,
    string? userUuid, ILogger logger)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _gone = new();
    private Task? _turn;
    private int _busy;

    private enum FrameKind { Text, Binary, Oversize, NotUtf8, Closed }

    private readonly record struct Frame(FrameKind Kind, string? Text = null);

    public async Task RunAsync(string clientId, CancellationToken aborted)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, _gone.Token);
        var ct = linked.Token;
        await SendAsync(ServerFrame.Connected(clientId));
        var receive = ReceiveAsync(ct);
        try
        {
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var timer = _turn is null ? Task.Delay(options.IdleTimeout, idle.Token) : _turn;
                var first = await Task.WhenAny(receive, timer);
                await idle.CancelAsync();
                if (first == _turn)
                {
                    _turn = null; // the idle clock starts again when a turn ends
                    continue;
                }
                if (first != receive)
                {
                    logger.LogInformation("Chat socket {ClientId} idle for {IdleSeconds} s, closing", clientId, options.IdleTimeout.TotalSeconds);
                    await SendAsync(ServerFrame.Error(408, $"idle for {options.IdleTimeout.TotalSeconds:0} s: closing"));
                    await CloseAsync(WebSocketCloseStatus.NormalClosure, "idle timeout", receive);
                    return;
                }
                var frame = await receive;
                if (frame.Kind == FrameKind.Closed)
                {
                    await CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", receive);
                    return;
                }
                await HandleAsync(frame, ct);
                receive = ReceiveAsync(ct);
            }
        }
        finally
        {
            await _gone.CancelAsync();
            if (_turn is not null) await _turn;
        }
    }

    private async Task HandleAsync(Frame frame, CancellationToken ct)
    {
        switch (frame.Kind)
        {
            case FrameKind.Binary:
                await SendAsync(ServerFrame.Error(400, "binary frames are not accepted: send JSON text frames"));
                return;
            case FrameKind.Oversize:
                await SendAsync(ServerFrame.Error(400, $"frame larger than {options.MaxFrameBytes} bytes"));
                return;
            case FrameKind.NotUtf8:
                await SendAsync(ServerFrame.Error(400, "frame is not valid UTF-8"));
                return;
        }

        string type;
        ChatTurnInput? input;
        try
        {
            (type, input) = Parse(frame.Text!);
        }
        catch (ApiException e)
        {
            await SendAsync(ServerFrame.Error(e.Status, e.Message));
            return;
        }

        if (type == "ping")
        {
            await SendAsync(ServerFrame.Pong);
            return;
        }
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            await SendAsync(ServerFrame.Error(429, "a turn is already running on this connection: wait for its done or error frame", input!.ChatId));
            return;
        }
        _turn = RunTurnAsync(input!, ct);
    }

    private (string Type, ChatTurnInput? Input) Parse(string text)
    {
        JsonElement root;
        try
        {
            using var doc = StrictJson.Parse(text);
            root = doc.RootElement.Clone();
        }
        catch (InvalidJsonTextException e)
        {
            throw ApiException.BadRequest($"frame is not valid JSON: {e.Message}");
        }
        catch (JsonException)
        {
            throw ApiException.BadRequest("frame is not valid JSON");
        }
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String)
            throw ApiException.BadRequest("frame must be a JSON object with a string \"type\"");
        switch (t.GetString())
        {
            case "ping":
                return ("ping", null);
            case "chat":
                if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
                    throw ApiException.BadRequest("a chat frame needs a \"data\" object with \"prompt\"");
                return ("chat", new ChatTurnInput(OptionalString(data, "prompt"), OptionalString(data, "chat_id"), userUuid));
            default:
                throw ApiException.BadRequest($"unknown frame type \"{Limit(t.GetString())}\": expected \"chat\" or \"ping\"");
        }
    }

    private static string? OptionalString(JsonElement data, string name)
    {
        if (!data.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.String) return v.GetString();
        if (name == "chat_id" && v.ValueKind == JsonValueKind.Number) return v.GetRawText();
        throw ApiException.BadRequest($"data.{name} must be a string");
    }

    private async Task RunTurnAsync(ChatTurnInput input, CancellationToken ct)
    {
        await Task.Yield();
        var content = new StringBuilder();
        var reasoning = new StringBuilder();
        ServerFrame? last = null;
        try
        {
            // The closing frame goes out only after the pipeline has finished (call row written, scope disposed),
            // so a client that reads "done" and sends its next turn at once is never told a turn is still running.
            await using var scope = scopes.CreateAsyncScope();
            await foreach (var chunk in runTurn(scope.ServiceProvider, input, ct).WithCancellation(ct))
            {
                if (chunk.Receipt is { } receipt)
                {
                    last = ServerFrame.Done(input.ChatId, content.ToString(), reasoning.Length > 0 ? reasoning.ToString() : null,
                        chunk.Usage ?? default, receipt);
                    continue;
                }
                if (chunk.Reasoning is { } r)
                {
                    reasoning.Append(r);
                    await SendAsync(ServerFrame.ReasoningDelta(input.ChatId, r), throwIfGone: true);
                }
                if (chunk.Content is { } c)
                {
                    content.Append(c);
                    await SendAsync(ServerFrame.Delta(input.ChatId, c), throwIfGone: true);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException && (ct.IsCancellationRequested || socket.State != WebSocketState.Open))
        {
            // The client went away mid-turn: the pipeline has logged the call as cancelled and charged what was delivered.
            last = null;
        }
        catch (ApiException e)
        {
            last = ServerFrame.Error(e, input.ChatId);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Chat turn failed");
            last = ServerFrame.Error(500, "internal error", input.ChatId);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
        if (last is not null) await SendAsync(last);
    }

    private async Task<Frame> ReceiveAsync(CancellationToken ct)
    {
        var buffer = new byte[4096];
        using var message = new MemoryStream();
        var oversize = false;
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, ct);
                if (result.MessageType == WebSocketMessageType.Close) return new Frame(FrameKind.Closed);
                if (!oversize && message.Length + result.Count > options.MaxFrameBytes)
                {
                    oversize = true;
                    message.SetLength(0);
                }
                if (!oversize) message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                if (oversize) return new Frame(FrameKind.Oversize);
                if (result.MessageType == WebSocketMessageType.Binary) return new Frame(FrameKind.Binary);
                try
                {
                    return new Frame(FrameKind.Text, StrictUtf8.GetString(message.GetBuffer(), 0, (int)message.Length));
                }
                catch (DecoderFallbackException)
                {
                    return new Frame(FrameKind.NotUtf8);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            return new Frame(FrameKind.Closed);
        }
    }

    /// <summary>Frames are sent one at a time (turn deltas, pongs and errors interleave). A gone client ends the turn when asked to.</summary>
    private async Task SendAsync(ServerFrame frame, bool throwIfGone = false)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(frame, ServerFrame.Json);
        await _sendLock.WaitAsync();
        try
        {
            if (socket.State != WebSocketState.Open)
            {
                if (throwIfGone) throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
                return;
            }
            await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            _ = _gone.CancelAsync();
            if (throwIfGone) throw;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string reason, Task<Frame> pendingReceive)
    {
        await _sendLock.WaitAsync();
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await socket.CloseOutputAsync(status, reason, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            _sendLock.Release();
        }
        // Give the client a moment to answer the close handshake. A receive that ended on a protocol error (a text frame
        // that is not UTF-8: the socket sent 1007 itself) has no reader left, so read the client's reply here: ending the
        // request before it arrives can reset the connection and lose the close frame on its way to the client.
        if (pendingReceive.IsCompleted && socket.State == WebSocketState.CloseSent)
            await DrainUntilClosedAsync(TimeSpan.FromSeconds(2));
        else
            await Task.WhenAny(pendingReceive, Task.Delay(TimeSpan.FromSeconds(2)));
    }

    private async Task DrainUntilClosedAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[256];
        try
        {
            while (socket.State == WebSocketState.CloseSent && (await socket.ReceiveAsync(buffer, cts.Token)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    private static string? Limit(string? s) => s is { Length: > 40 } ? s[..40] : s;
}
