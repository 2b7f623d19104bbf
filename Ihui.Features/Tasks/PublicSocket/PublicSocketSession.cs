using System.Net.WebSockets;
using System.Text.Json;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Common.Tasks;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.Tasks.PublicSocket;

/// <summary>
/// One public-socket connection: <c>register</c> names the user (and optionally a chat), after which the
/// engine's events for that user's tasks are pushed. Broken frames get an error frame; the socket stays open.
/// </summary>
public sealed class PublicSocketSession(JsonSocket socket, Authenticator authenticator, TaskHub hub, ILogger logger)
{

    public async Task RunAsync(CancellationToken ct)
    {
        TaskHub.Subscription? subscription = null;
        Task? pump = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            while (socket.Socket.State == WebSocketState.Open)
            {
                var (kind, text) = await socket.ReceiveAsync(stop.Token);
                if (kind == JsonSocket.Kind.Close) break;
                if (text is null)
                {
                    await SendAsync(kind == JsonSocket.Kind.Binary
                        ? SocketFrame.Failure(400, "send JSON text frames")
                        : SocketFrame.Failure(413, $"frame larger than {socket.MaxFrameBytes} bytes"), stop.Token);
                    continue;
                }
                if (!TryParse(text, out var frame, out var problem))
                {
                    await SendAsync(SocketFrame.Failure(400, problem), stop.Token);
                    continue;
                }
                switch (frame.Event)
                {
                    case "ping":
                        await SendAsync(new SocketFrame { Event = "pong" }, stop.Token);
                        break;
                    case "register" when subscription is not null:
                        await SendAsync(SocketFrame.Failure(409, "already registered on this connection"), stop.Token);
                        break;
                    case "register":
                        Caller caller;
                        try
                        {
                            caller = await authenticator.AuthenticateAsync(new Credential(CredentialKind.UserUuid, frame.UserUuid), stop.Token);
                        }
                        catch (ApiException e)
                        {
                            await SendAsync(SocketFrame.Failure(e.Status, e.Message), stop.Token);
                            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "unknown user");
                            return;
                        }
                        subscription = hub.Subscribe(caller.UserId, frame.ChatId);
                        await SendAsync(new SocketFrame { Event = "registered", UserUuid = caller.UserId, ModelId = frame.ModelId, ChatId = frame.ChatId }, stop.Token);
                        pump = PumpAsync(subscription, stop.Token);
                        break;
                    default:
                        await SendAsync(SocketFrame.Failure(400, $"unknown event '{frame.Event}': send register or ping"), stop.Token);
                        break;
                }
            }
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye");
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            logger.LogDebug("Public socket closed: {Reason}", e.Message);
        }
        finally
        {
            subscription?.Dispose();
            await stop.CancelAsync();
            if (pump is not null) await pump.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task PumpAsync(TaskHub.Subscription subscription, CancellationToken ct)
    {
        try
        {
            await foreach (var e in subscription.Events.ReadAllAsync(ct))
                await SendAsync(SocketFrame.From(e), ct);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
    }

    private sealed record ClientFrame(string? Event, string? UserUuid, string? ModelId, string? ChatId);

    private static bool TryParse(string text, out ClientFrame frame, out string problem)
    {
        frame = new ClientFrame(null, null, null, null);
        problem = "";
        try
        {
            using var doc = StrictJson.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = "a frame must be a JSON object";
                return false;
            }
            var root = doc.RootElement;
            string? Text(string name) => root.TryGetProperty(name, out var v) ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Number => v.GetRawText(),
                _ => null,
            } : null;
            frame = new ClientFrame(Text("event"), Text("user_uuid"), Text("model_id"), Text("chat_id") is { Length: > 0 } c ? c : null);
            if (frame.Event is null)
            {
                problem = "event is required";
                return false;
            }
            return true;
        }
        catch (JsonException e)
        {
            problem = e is InvalidJsonTextException ? $"malformed JSON frame: {e.Message}" : "malformed JSON frame";
            return false;
        }
    }

    private Task SendAsync(SocketFrame frame, CancellationToken ct) => socket.SendAsync(frame, ct);
}
