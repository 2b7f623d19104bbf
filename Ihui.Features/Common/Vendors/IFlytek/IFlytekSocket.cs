using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Ihui.Features.Common.Errors;

namespace Ihui.Features.Common.Vendors.IFlytek;

/// <summary>
/// One WebSocket to an iFlytek service: signed handshake, JSON text frames in and out. Transport failures become
/// the gateway's errors (handshake refused → 502, no answer in time → 408, cut or garbled → 502); a cancelled
/// caller stays an <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class IFlytekSocket : IAsyncDisposable
{
    private const int MaxFrameBytes = 4 * 1024 * 1024;
    private readonly ClientWebSocket _ws;

    private IFlytekSocket(ClientWebSocket ws) => _ws = ws;

    public static async Task<IFlytekSocket> ConnectAsync(Uri signedUrl, TimeSpan timeout, CancellationToken ct)
    {
        var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await ws.ConnectAsync(signedUrl, deadline.Token);
            return new IFlytekSocket(ws);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            ws.Dispose();
            throw ApiException.VendorTimeout(IFlytekOptions.Vendor);
        }
        catch (WebSocketException)
        {
            // The exception text is safe, but the URL it was thrown for is not: only the status leaves here.
            var status = (int)ws.HttpStatusCode;
            ws.Dispose();
            throw IFlytekErrors.Handshake(status);
        }
    }

    public async Task SendAsync(byte[] utf8Json, CancellationToken ct)
    {
        try
        {
            await _ws.SendAsync(utf8Json, WebSocketMessageType.Text, endOfMessage: true, ct);
        }
        catch (Exception e) when (e is WebSocketException or IOException || (e is ObjectDisposedException && !ct.IsCancellationRequested))
        {
            throw ApiException.VendorError(IFlytekOptions.Vendor, "connection was cut");
        }
    }

    public Task SendAsync<T>(T payload, CancellationToken ct) => SendAsync(JsonSerializer.SerializeToUtf8Bytes(payload, Json), ct);

    /// <summary>Frames as written by the clients: names as given, unset optional parameters left out.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// The next JSON frame, or null when the vendor closed the socket. <paramref name="timeout"/> bounds the wait: the
    /// vendor's timeout for the first answer, <see cref="VendorStreamSettings.IdleTimeout"/> between frames (408 either way).
    /// </summary>
    public async Task<JsonDocument?> ReceiveAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var idle = new StreamIdleWatch(timeout, ct);
        var buffer = new ArrayBufferWriter<byte>(8192);
        try
        {
            while (true)
            {
                var result = await _ws.ReceiveAsync(buffer.GetMemory(8192), idle.Token);
                if (result.MessageType == WebSocketMessageType.Close) return null;
                buffer.Advance(result.Count);
                if (buffer.WrittenCount > MaxFrameBytes) throw ApiException.VendorError(IFlytekOptions.Vendor, "frame too large");
                if (!result.EndOfMessage) continue;
                if (result.MessageType != WebSocketMessageType.Text) throw ApiException.VendorError(IFlytekOptions.Vendor, "unexpected binary frame");
                return JsonDocument.Parse(buffer.WrittenMemory);
            }
        }
        catch (Exception e) when (idle.Expired && e is OperationCanceledException or WebSocketException or IOException)
        {
            throw idle.Timeout(IFlytekOptions.Vendor);
        }
        catch (JsonException)
        {
            throw ApiException.VendorError(IFlytekOptions.Vendor, "malformed frame");
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            throw ApiException.VendorError(IFlytekOptions.Vendor, "connection was cut");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ws.State == WebSocketState.Open)
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try { await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, quick.Token); }
            catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException) { }
        }
        _ws.Dispose();
    }
}
