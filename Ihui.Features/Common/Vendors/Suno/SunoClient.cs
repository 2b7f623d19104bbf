using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ihui.Features.Common.Errors;

namespace Ihui.Features.Common.Vendors.Suno;

/// <summary>
/// Suno through the de-facto gateway API (vendor-protocols.md §8; new-api / Suno-API shape): bearer <c>SUNO_API_KEY</c>,
/// <c>POST /suno/submit/music</c> → <c>{"code":"success","data":"&lt;task id&gt;"}</c>, <c>POST /suno/fetch {"ids":[…]}</c>.
/// Suno has no public API of its own, so the gateway's base URL (<c>SUNO_BASE_URL</c>) must be configured.
/// </summary>
public sealed class SunoClient(IHttpClientFactory httpClients, VendorEndpoints endpoints)
{
    public static readonly VendorDefinition Definition = new("suno", "SUNO_API_KEY", "SUNO_BASE_URL", "http://suno.unconfigured.invalid",
        DefaultTimeoutSeconds: 30, BaseUrlRequired: true);
    public const string Success = "success";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public VendorEndpoint Endpoint => endpoints.Get(Definition);

    public async Task<string> SubmitMusicAsync(JsonElement body, CancellationToken ct)
    {
        var data = await SendAsync<JsonElement>(Post("suno/submit/music", body), ct);
        return data.ValueKind == JsonValueKind.String && data.GetString() is { Length: > 0 } id
            ? id
            : throw ApiException.VendorError(Definition.Name, "response has no task id");
    }

    public async Task<SunoTask> FetchAsync(string taskId, CancellationToken ct)
    {
        var tasks = await SendAsync<IReadOnlyList<SunoTask>>(Post("suno/fetch", JsonSerializer.SerializeToElement(new { ids = new[] { taskId } })), ct);
        return tasks.FirstOrDefault(t => t.TaskId == taskId) ?? throw ApiException.VendorError(Definition.Name, "fetch did not return the task");
    }

    private HttpRequestMessage Post(string path, JsonElement body) =>
        new(HttpMethod.Post, Endpoint.Url(path)) { Content = VendorHttp.JsonBody(body, options: Json) };

    private async Task<T> SendAsync<T>(HttpRequestMessage message, CancellationToken ct)
    {
        using var _ = message;
        var vendor = Endpoint;
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", vendor.RequireKey());
        using var response = await VendorHttp.SendAsync(httpClients.CreateClient(Definition.HttpClientName), vendor, message,
            HttpCompletionOption.ResponseContentRead, ct);
        var envelope = await VendorHttp.ReadJsonAsync<SunoEnvelope<T>>(response, vendor, Json, ct);
        if (envelope.Code != Success)
            throw ApiException.VendorError(Definition.Name, $"code {envelope.Code ?? "missing"}: {envelope.Message ?? "no message"}");
        return envelope.Data is { } data ? data : throw ApiException.VendorError(Definition.Name, "response has no data");
    }
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
