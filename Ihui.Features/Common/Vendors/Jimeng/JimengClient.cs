using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Tasks;
using Ihui.Features.Common.Vendors.Channels;
using Ihui.Features.Common.Vendors.Volcengine;

namespace Ihui.Features.Common.Vendors.Jimeng;

/// <summary>
/// Jimeng (即梦) on Volcengine's visual API (vendor-protocols.md §2): <c>CVSync2AsyncSubmitTask</c> and
/// <c>CVSync2AsyncGetResult</c> (plus the synchronous <c>CVProcess</c>), V4-signed with each channel's access and secret
/// key (the default channel's are <c>DOUBAO_JM_API_KEY</c>/<c>DOUBAO_JM_SECRET_KEY</c>). Success is <c>code == 10000</c>;
/// 50429 is the account's rate limit, which moves the call to another channel. Submits and <c>CVProcess</c> are routed
/// over Jimeng's channels (by <c>req_key</c>); results are asked of the channel that took the task.
/// </summary>
public sealed class JimengClient(ChannelRouter router, TimeProvider clock) : IChannelProbe
{
    public static readonly VendorDefinition Definition = new("jimeng", "DOUBAO_JM_API_KEY", "JIMENG_BASE_URL", "https://visual.volcengineapi.com",
        TimeoutVariableName: "JIMENG_TIMEOUT_SECONDS", DefaultTimeoutSeconds: 30, SecretVariable: "DOUBAO_JM_SECRET_KEY");
    public const string Region = "cn-north-1";
    public const string Service = "cv";
    public const string Version = "2022-08-31";
    public const int Success = 10000;
    public const int RateLimited = 50429;
    private const string ReqKey = "req_key";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Submits <paramref name="body"/> (the vendor's JSON, with <c>req_key</c>); returns the task and the channel that took it.</summary>
    public async Task<VendorTaskRef> SubmitAsync(JsonElement body, CancellationToken ct)
    {
        var (response, channel) = await CallAsync("CVSync2AsyncSubmitTask", ChannelPayload.Text(body, ReqKey),
            upstream => ChannelPayload.WithText(body, ReqKey, upstream), null, ct);
        return response.Data?.TaskId is { Length: > 0 } id
            ? new VendorTaskRef(id, channel.Id)
            : throw ApiException.VendorError(Definition.Name, "response has no task_id");
    }

    /// <summary>The task's result, from the channel that took it (with the <c>req_key</c> that channel was sent).</summary>
    public async Task<JimengResultData> GetResultAsync(string reqKey, VendorTaskRef task, CancellationToken ct)
    {
        var (response, _) = await CallAsync("CVSync2AsyncGetResult", reqKey,
            upstream => JsonSerializer.SerializeToElement(new { req_key = upstream ?? reqKey, task_id = task.TaskId }),
            router.TaskChannel(Definition, task.ChannelId), ct);
        return response.Data ?? throw ApiException.VendorError(Definition.Name, "response has no data");
    }

    VendorDefinition IChannelProbe.Vendor => Definition;

    /// <summary>The query names a <c>req_key</c>: the one asked for (by default the channel's first listed), else Jimeng 3.0 1080p text-to-video.</summary>
    string? IChannelProbe.ModelFor(string? requested) => requested ?? JimengVideoPayload.TextToVideo1080p;

    /// <summary>
    /// <c>CVSync2AsyncGetResult</c> for a task id Jimeng never issues, on <paramref name="channel"/>. Volcengine checks the V4
    /// signature first (refusals are HTTP 401/403 with <c>ResponseMetadata.Error</c>); an unknown task is <c>code 10000</c>
    /// with <c>data.status</c> <c>not_found</c>.
    /// </summary>
    public async Task<string> ProbeAsync(Channel channel, string? model, CancellationToken ct)
    {
        var reqKey = model ?? JimengVideoPayload.TextToVideo1080p;
        var (response, _) = await CallAsync("CVSync2AsyncGetResult", reqKey,
            upstream => JsonSerializer.SerializeToElement(new { req_key = upstream ?? reqKey, task_id = ChannelProbes.NoSuchTask }), channel, ct);
        return $"code {response.Code}: data.status {response.Data?.Status ?? "missing"}";
    }

    /// <summary><c>CVProcess</c>: the visual API's synchronous call (e.g. Jimeng t2i 2.1 with <c>return_url</c>).</summary>
    public async Task<JimengResultData> ProcessAsync(JsonElement body, CancellationToken ct)
    {
        var (response, _) = await CallAsync("CVProcess", ChannelPayload.Text(body, ReqKey), upstream => ChannelPayload.WithText(body, ReqKey, upstream), null, ct);
        return response.Data ?? throw ApiException.VendorError(Definition.Name, "response has no data");
    }

    private Task<(JimengResponse Value, Channel Channel)> CallAsync(string action, string? model, Func<string?, JsonElement> body, Channel? only,
        CancellationToken ct) =>
        router.CallAsync(Definition, model, (endpoint, upstream) => Sign(endpoint, action, JsonSerializer.SerializeToUtf8Bytes(body(upstream))),
            async routed =>
            {
                var result = await VendorHttp.ReadJsonAsync<JimengResponse>(routed.Response, routed.Endpoint, Json, ct);
                return result.Code switch
                {
                    Success => result,
                    RateLimited => throw new ChannelFailureException(VendorOutcomes.RateLimited,
                        ApiException.RateLimited($"{Definition.Name} is rate limiting: {result.Message ?? "try again later"}")),
                    _ => throw ApiException.VendorError(Definition.Name, $"code {result.Code}: {Limit(result.Message) ?? "no message"}"),
                };
            }, ct, only);

    private HttpRequestMessage Sign(VendorEndpoint vendor, string action, byte[] body)
    {
        var accessKey = vendor.RequireKey();
        var secretKey = vendor.RequireSecret();
        var query = $"Action={action}&Version={Version}";
        var url = new Uri($"{vendor.BaseUrl}?{query}");
        var host = url.IsDefaultPort ? url.Host : url.Authority;
        var signature = VolcengineSigner.Sign(accessKey, secretKey, Region, Service, "POST", host, url.AbsolutePath, query, body, clock.GetUtcNow());

        var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Headers.Add("X-Date", signature.XDate);
        message.Headers.Add("X-Content-Sha256", signature.XContentSha256);
        message.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);
        return message;
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
