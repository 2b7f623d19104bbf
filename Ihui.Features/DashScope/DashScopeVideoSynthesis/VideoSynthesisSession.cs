using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Tasks;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.DashScope.DashScopeVideoSynthesis;

/// <summary>
/// One video-synthesis connection: each <c>video_synthesis</c> frame is a task (through the full pipeline, in its
/// own scope); the session pushes that task's progress and its result. Terminal states are also read from the
/// database every second, so a task polled by another instance is still reported.
/// </summary>
public sealed class VideoSynthesisSession(JsonSocket socket, string userId, IServiceScopeFactory scopes, TaskHub hub, TaskEngine engine, ILogger logger)
{
    private readonly ConcurrentDictionary<string, string?> _pending = new();

    public async Task RunAsync(CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var events = hub.Subscribe(userId);
        var pump = PumpAsync(events, stop.Token);
        try
        {
            while (socket.Socket.State == WebSocketState.Open)
            {
                var (kind, text) = await socket.ReceiveAsync(stop.Token);
                if (kind == JsonSocket.Kind.Close) break;
                if (text is null)
                {
                    await socket.SendAsync(kind == JsonSocket.Kind.Binary
                        ? VideoFrame.Error(400, "send JSON text frames")
                        : VideoFrame.Error(413, $"frame larger than {socket.MaxFrameBytes} bytes"), stop.Token);
                    continue;
                }
                await HandleAsync(text, stop.Token);
            }
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye");
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            logger.LogDebug("Video synthesis socket closed: {Reason}", e.Message);
        }
        finally
        {
            await stop.CancelAsync();
            await pump.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task HandleAsync(string text, CancellationToken ct)
    {
        string? type;
        JsonElement data;
        try
        {
            using var doc = StrictJson.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                await socket.SendAsync(VideoFrame.Error(400, "a frame must be a JSON object"), ct);
                return;
            }
            type = doc.RootElement.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            data = doc.RootElement.TryGetProperty("data", out var d) ? d.Clone() : default;
        }
        catch (JsonException e)
        {
            await socket.SendAsync(VideoFrame.Error(400, e is InvalidJsonTextException ? $"malformed JSON frame: {e.Message}" : "malformed JSON frame"), ct);
            return;
        }

        switch (type)
        {
            case "ping":
                await socket.SendAsync(new VideoFrame("pong"), ct);
                return;
            case "video_synthesis":
                break;
            default:
                await socket.SendAsync(VideoFrame.Error(400, type is null ? "type is required" : $"unknown type '{type}': send video_synthesis or ping"), ct);
                return;
        }

        DashScopeVideoSynthesisRequest? request;
        try
        {
            request = data.ValueKind == JsonValueKind.Object ? data.Deserialize<DashScopeVideoSynthesisRequest>(VideoFrame.Json) : null;
        }
        catch (JsonException)
        {
            request = null;
        }
        if (request is null)
        {
            await socket.SendAsync(VideoFrame.Error(400, "data must be an object with prompt (and optional chat_id, size, duration)"), ct);
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var task = await scope.ServiceProvider.GetRequiredService<ISender>().Send(request with { UserUuid = userId }, ct);
            _pending[task.TaskId] = request.ChatId;
            await socket.SendAsync(new VideoFrame("task_created", new VideoFrameData(task.TaskId, task.State.ToWire(), task.Progress, request.ChatId)), ct);
        }
        catch (ApiException e)
        {
            await socket.SendAsync(VideoFrame.Error(e, new VideoFrameData(ChatId: request.ChatId)), ct);
        }
    }

    private async Task PumpAsync(TaskHub.Subscription events, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(ct);
                tick.CancelAfter(TimeSpan.FromSeconds(1));
                try
                {
                    while (await events.Events.WaitToReadAsync(tick.Token))
                        while (events.Events.TryRead(out var e))
                            if (_pending.ContainsKey(e.Task.TaskId)) await ReportAsync(e.Task, ct);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                }
                foreach (var id in _pending.Keys)
                    if (await engine.GetAsync(userId, id, ct) is { } view && view.State.IsTerminal())
                        await ReportAsync(view, ct);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
    }

    private async Task ReportAsync(TaskView task, CancellationToken ct)
    {
        if (!_pending.TryGetValue(task.TaskId, out var chatId)) return;
        if (!task.State.IsTerminal())
        {
            await socket.SendAsync(new VideoFrame("progress", new VideoFrameData(task.TaskId, task.State.ToWire(), task.Progress, chatId)), ct);
            return;
        }
        if (!_pending.TryRemove(task.TaskId, out _)) return;
        await socket.SendAsync(task.State == TaskState.Succeeded
            ? new VideoFrame("video_synthesis_result", new VideoFrameData(task.TaskId, "succeeded", 100, chatId, task.ResultUrls[0], task.Charged))
            : new VideoFrame("video_synthesis_failed", new VideoFrameData(task.TaskId, task.State.ToWire(), task.Progress, chatId,
                Error: (task.Error ?? task.State.ToWire()) + "; nothing was charged")), ct);
    }
}
