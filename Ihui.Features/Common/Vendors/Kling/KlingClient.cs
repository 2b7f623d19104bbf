using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ihui.Features.Common.Errors;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Common.Vendors.Kling;

/// <summary>
/// Kling (可灵) video API (vendor-protocols.md §7): a fresh HS256 JWT per call from <c>KLING_ACCESS_KEY</c>/<c>KLING_SECRET_KEY</c>,
/// envelope <c>{code, message, request_id, data}</c> with <c>code == 0</c> for success.
/// </summary>
public sealed class KlingClient(IHttpClientFactory httpClients, VendorEndpoints endpoints, IConfiguration configuration, TimeProvider clock)
{
    public static readonly VendorDefinition Definition = new("kling", "KLING_ACCESS_KEY", "KLING_BASE_URL", "https://api-beijing.klingai.com",
        TimeoutVariableName: "KLING_TIMEOUT_SECONDS", DefaultTimeoutSeconds: 30);
    public const string SecretVariable = "KLING_SECRET_KEY";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public VendorEndpoint Endpoint => endpoints.Get(Definition);

    /// <summary><c>POST /v1/videos/{kind}</c> (kind = <c>text2video</c> | <c>image2video</c>); returns the task id.</summary>
    public async Task<string> CreateAsync(string kind, JsonElement body, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, Endpoint.Url($"v1/videos/{kind}"))
        {
            Content = VendorHttp.JsonBody(body, options: Json),
        };
        var data = await SendAsync(message, ct);
        return data.TaskId is { Length: > 0 } id ? id : throw ApiException.VendorError(Definition.Name, "response has no task_id");
    }

    /// <summary><c>GET /v1/videos/{kind}/{task_id}</c>.</summary>
    public Task<KlingTask> QueryAsync(string kind, string taskId, CancellationToken ct) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, Endpoint.Url($"v1/videos/{kind}/{Uri.EscapeDataString(taskId)}")), ct);

    private async Task<KlingTask> SendAsync(HttpRequestMessage message, CancellationToken ct)
    {
        using var _ = message;
        var vendor = Endpoint;
        var accessKey = vendor.RequireKey();
        var secretKey = configuration[SecretVariable] is { Length: > 0 } s ? s : throw ApiException.VendorNotConfigured(Definition.Name, SecretVariable);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", KlingJwt.Create(accessKey, secretKey, clock.GetUtcNow()));
        using var response = await VendorHttp.SendAsync(httpClients.CreateClient(Definition.HttpClientName), vendor, message,
            HttpCompletionOption.ResponseContentRead, ct);
        var envelope = await VendorHttp.ReadJsonAsync<KlingEnvelope>(response, vendor, Json, ct);
        if (envelope.Code is not 0)
            throw envelope.Code is >= 1300 and < 1400 && envelope.Code != 1301
                ? ApiException.RateLimited($"{Definition.Name} is rate limiting: {envelope.Message ?? "try again later"}")
                : ApiException.VendorError(Definition.Name, $"code {envelope.Code?.ToString() ?? "missing"}: {envelope.Message ?? "no message"}");
        return envelope.Data ?? throw ApiException.VendorError(Definition.Name, "response has no data");
    }
}

public sealed record KlingEnvelope
{
    public int? Code { get; init; }
    public string? Message { get; init; }
    public string? RequestId { get; init; }
    public KlingTask? Data { get; init; }
}

public sealed record KlingTask
{
    public string? TaskId { get; init; }
    public string? TaskStatus { get; init; }
    public string? TaskStatusMsg { get; init; }
    public KlingTaskResult? TaskResult { get; init; }
}

public sealed record KlingTaskResult
{
    public IReadOnlyList<KlingVideo>? Videos { get; init; }
}

public sealed record KlingVideo
{
    public string? Id { get; init; }
    public string? Url { get; init; }
    public string? Duration { get; init; }
}
