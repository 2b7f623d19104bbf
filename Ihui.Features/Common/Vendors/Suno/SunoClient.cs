using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Tasks;
using Ihui.Features.Common.Vendors.Channels;

namespace Ihui.Features.Common.Vendors.Suno;

/// <summary>
/// Suno through the de-facto gateway API (vendor-protocols.md §8; new-api / Suno-API shape): bearer key (the default
/// channel's is <c>SUNO_API_KEY</c>), <c>POST /suno/submit/music</c> → <c>{"code":"success","data":"&lt;task id&gt;"}</c>,
/// <c>POST /suno/fetch {"ids":[…]}</c>. Suno has no public API of its own, so the gateway's base URL (<c>SUNO_BASE_URL</c>)
/// must be configured. Submits are routed over Suno's channels; fetches go to the channel that took the task.
/// </summary>
public sealed class SunoClient(ChannelRouter router) : IChannelProbe
{
    public static readonly VendorDefinition Definition = new("suno", "SUNO_API_KEY", "SUNO_BASE_URL", "http://suno.unconfigured.invalid",
        DefaultTimeoutSeconds: 30, BaseUrlRequired: true);
    public const string Success = "success";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public async Task<VendorTaskRef> SubmitMusicAsync(JsonElement body, CancellationToken ct)
    {
        var (data, channel) = await CallAsync<JsonElement>("suno/submit/music", ChannelPayload.Text(body, "mv"),
            upstream => ChannelPayload.WithText(body, "mv", upstream), null, ct);
        return data.ValueKind == JsonValueKind.String && data.GetString() is { Length: > 0 } id
            ? new VendorTaskRef(id, channel.Id)
            : throw ApiException.VendorError(Definition.Name, "response has no task id");
    }

    public async Task<SunoTask> FetchAsync(VendorTaskRef task, CancellationToken ct)
    {
        var body = JsonSerializer.SerializeToElement(new { ids = new[] { task.TaskId } });
        var (tasks, _) = await CallAsync<IReadOnlyList<SunoTask>>("suno/fetch", null, _ => body, router.TaskChannel(Definition, task.ChannelId), ct);
        return tasks.FirstOrDefault(t => t.TaskId == task.TaskId) ?? throw ApiException.VendorError(Definition.Name, "fetch did not return the task");
    }

    VendorDefinition IChannelProbe.Vendor => Definition;

    string? IChannelProbe.ModelFor(string? requested) => null;

    /// <summary>
    /// <c>POST /suno/fetch</c> for a task id no gateway issues, on <paramref name="channel"/>: the gateway checks the bearer key
    /// (a refusal is HTTP 401), then answers <c>code "success"</c> without that task (new-api: <c>data</c> null or empty).
    /// </summary>
    public async Task<string> ProbeAsync(Channel channel, string? model, CancellationToken ct)
    {
        var body = JsonSerializer.SerializeToElement(new { ids = new[] { ChannelProbes.NoSuchTask } });
        var (tasks, _) = await CallAsync<IReadOnlyList<SunoTask>?>("suno/fetch", null, _ => body, channel, ct, dataRequired: false);
        return tasks is { Count: > 0 } ? $"code success: {tasks.Count} task(s)" : "code success: no such task";
    }

    private Task<(T Value, Channel Channel)> CallAsync<T>(string path, string? model, Func<string?, JsonElement> body, Channel? only, CancellationToken ct,
        bool dataRequired = true) =>
        router.CallAsync(Definition, model, (endpoint, upstream) =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, endpoint.Url(path)) { Content = VendorHttp.JsonBody(body(upstream), options: Json) };
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", endpoint.RequireKey());
            return message;
        }, async routed =>
        {
            var envelope = await VendorHttp.ReadJsonAsync<SunoEnvelope<T>>(routed.Response, routed.Endpoint, Json, ct);
            if (envelope.Code != Success)
                throw ApiException.VendorError(Definition.Name, $"code {envelope.Code ?? "missing"}: {envelope.Message ?? "no message"}");
            return envelope.Data is { } data ? data
                : dataRequired ? throw ApiException.VendorError(Definition.Name, "response has no data") : default!;
        }, ct, only);
}

public sealed record SunoEnvelope<T>
{
    public string? Code { get; init; }
    public string? Message { get; init; }
    public T? Data { get; init; }
}

public sealed record SunoTask
{
    public string? TaskId { get; init; }
    public string? Action { get; init; }
    public string? Status { get; init; }
    public string? FailReason { get; init; }
    public string? Progress { get; init; }
    public IReadOnlyList<SunoClip>? Data { get; init; }
}

public sealed record SunoClip
{
    public string? Id { get; init; }
    public string? AudioUrl { get; init; }
    public string? VideoUrl { get; init; }
    public string? ImageUrl { get; init; }
    public string? Title { get; init; }
    public string? Status { get; init; }
    public SunoClipMetadata? Metadata { get; init; }
}

public sealed record SunoClipMetadata
{
    public string? Tags { get; init; }
    public string? Prompt { get; init; }
    public double? Duration { get; init; }
    public string? ErrorMessage { get; init; }
}
