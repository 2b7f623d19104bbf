using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Ihui.Features.Common.Http;

/// <summary>A WebSocket that speaks whole JSON text frames: size-limited receive, serialised sends.</summary>
public sealed class JsonSocket(WebSocket socket, JsonSerializerOptions options, int maxFrameBytes = 64 * 1024)
{
    private readonly SemaphoreSlim _send = new(1, 1);

    public WebSocket Socket => socket;
    public int MaxFrameBytes => maxFrameBytes;

    public enum Kind { Text, Close, Binary, TooLarge }

    /// <summary>The next whole message; <c>Text</c> is set only for a text message within the limit (the rest is drained).</summary>
    public async Task<(Kind Kind, string? Text)> ReceiveAsync(CancellationToken ct)
    {
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        var tooLarge = false;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, ct);
            if (result.MessageType == WebSocketMessageType.Close) return (Kind.Close, null);
            if (message.Length + result.Count > maxFrameBytes) tooLarge = true;
            else message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage) continue;
            if (result.MessageType == WebSocketMessageType.Binary) return (Kind.Binary, null);
            if (tooLarge) return (Kind.TooLarge, null);
            return (Kind.Text, Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
        }
    }

    public async Task SendAsync<T>(T frame, CancellationToken ct)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(frame, options);
        await _send.WaitAsync(ct);
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, true, ct);
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>Answers the peer's close, or closes with <paramref name="status"/>; never throws.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        try
        {
            if (socket.State == WebSocketState.CloseReceived) await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, CancellationToken.None);
            else if (socket.State == WebSocketState.Open) await socket.CloseAsync(status, reason, CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }
    }
}
