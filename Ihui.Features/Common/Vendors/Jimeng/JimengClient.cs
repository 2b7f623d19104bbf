using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Vendors.Volcengine;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Common.Vendors.Jimeng;

/// <summary>
/// Jimeng (即梦) on Volcengine's visual API (vendor-protocols.md §2): <c>CVSync2AsyncSubmitTask</c> and
/// <c>CVSync2AsyncGetResult</c> (plus the synchronous <c>CVProcess</c>), V4-signed with <c>DOUBAO_JM_API_KEY</c>/<c>DOUBAO_JM_SECRET_KEY</c> (AK/SK).
/// Success is <c>code == 10000</c>; 50429 is the vendor's rate limit.
/// </summary>
public sealed class JimengClient(IHttpClientFactory httpClients, VendorEndpoints endpoints, IConfiguration configuration, TimeProvider clock)
{
    public static readonly VendorDefinition Definition = new("jimeng", "DOUBAO_JM_API_KEY", "JIMENG_BASE_URL", "https://visual.volcengineapi.com",
        TimeoutVariableName: "JIMENG_TIMEOUT_SECONDS", DefaultTimeoutSeconds: 30);
    public const string SecretVariable = "DOUBAO_JM_SECRET_KEY";
    public const string Region = "cn-north-1";
    public const string Service = "cv";
    public const string Version = "2022-08-31";
    public const int Success = 10000;
    public const int RateLimited = 50429;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public VendorEndpoint Endpoint => endpoints.Get(Definition);

    /// <summary>Submits <paramref name="body"/> (the vendor's JSON, with <c>req_key</c>) and returns the task id.</summary>
    public async Task<string> SubmitAsync(JsonElement body, CancellationToken ct)
    {
        var response = await CallAsync("CVSync2AsyncSubmitTask", JsonSerializer.SerializeToUtf8Bytes(body), ct);
        return response.Data?.TaskId is { Length: > 0 } id ? id : throw ApiException.VendorError(Definition.Name, "response has no task_id");
    }

    public async Task<JimengResultData> GetResultAsync(string reqKey, string taskId, CancellationToken ct)
    {
        var response = await CallAsync("CVSync2AsyncGetResult",
            JsonSerializer.SerializeToUtf8Bytes(new { req_key = reqKey, task_id = taskId }), ct);
        return response.Data ?? throw ApiException.VendorError(Definition.Name, "response has no data");
    }

    /// <summary><c>CVProcess</c>: the visual API's synchronous call (e.g. Jimeng t2i 2.1 with <c>return_url</c>).</summary>
    public async Task<JimengResultData> ProcessAsync(JsonElement body, CancellationToken ct)
    {
        var response = await CallAsync("CVProcess", JsonSerializer.SerializeToUtf8Bytes(body), ct);
        return response.Data ?? throw ApiException.VendorError(Definition.Name, "response has no data");
    }

    private async Task<JimengResponse> CallAsync(string action, byte[] body, CancellationToken ct)
    {
        var vendor = Endpoint;
        var accessKey = vendor.RequireKey();
        var secretKey = configuration[SecretVariable] is { Length: > 0 } s ? s : throw ApiException.VendorNotConfigured(Definition.Name, SecretVariable);
        var query = $"Action={action}&Version={Version}";
        var url = new Uri($"{vendor.BaseUrl}?{query}");
        var host = url.IsDefaultPort ? url.Host : url.Authority;
        var signature = VolcengineSigner.Sign(accessKey, secretKey, Region, Service, "POST", host, url.AbsolutePath, query, body, clock.GetUtcNow());

        using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Headers.Add("X-Date", signature.XDate);
        message.Headers.Add("X-Content-Sha256", signature.XContentSha256);
        message.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);

        using var response = await VendorHttp.SendAsync(httpClients.CreateClient(Definition.HttpClientName), vendor, message,
            HttpCompletionOption.ResponseContentRead, ct);
        var result = await VendorHttp.ReadJsonAsync<JimengResponse>(response, vendor, Json, ct);
        return result.Code switch
        {
            Success => result,
            RateLimited => throw ApiException.RateLimited($"{Definition.Name} is rate limiting: {result.Message ?? "try again later"}"),
            _ => throw ApiException.VendorError(Definition.Name, $"code {result.Code}: {Limit(result.Message) ?? "no message"}"),
        };
    }

    private static string? Limit(string? s) => s is { Length: > 300 } ? s[..300] : s;
}

public sealed record JimengResponse
{
    public int Code { get; init; }
    public string? Message { get; init; }
    public string? RequestId { get; init; }
    public JimengResultData? Data { get; init; }
}

public sealed record JimengResultData
{
    public string? TaskId { get; init; }
    public string? Status { get; init; }
    public string? VideoUrl { get; init; }
    public IReadOnlyList<string>? ImageUrls { get; init; }
}
