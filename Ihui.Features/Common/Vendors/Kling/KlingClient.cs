using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Tasks;
using Ihui.Features.Common.Vendors.Channels;

namespace Ihui.Features.Common.Vendors.Kling;

/// <summary>
/// Kling (可灵) video API (vendor-protocols.md §7): a fresh HS256 JWT per call from each channel's access and secret
/// key (the default channel's are <c>KLING_ACCESS_KEY</c>/<c>KLING_SECRET_KEY</c>), envelope
/// <c>{code, message, request_id, data}</c> with <c>code == 0</c> for success. Creates are routed over Kling's channels;
/// queries go to the channel that created the task.
/// </summary>
public sealed class KlingClient(ChannelRouter router, TimeProvider clock) : IChannelProbe
{
    public static readonly VendorDefinition Definition = new("kling", "KLING_ACCESS_KEY", "KLING_BASE_URL", "https://api-beijing.klingai.com",
        TimeoutVariableName: "KLING_TIMEOUT_SECONDS", DefaultTimeoutSeconds: 30, SecretVariable: "KLING_SECRET_KEY");

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary><c>POST /v1/videos/{kind}</c> (kind = <c>text2video</c> | <c>image2video</c>); returns the task and the channel that took it.</summary>
    public async Task<VendorTaskRef> CreateAsync(string kind, JsonElement body, CancellationToken ct)
    {
        var model = ChannelPayload.Text(body, "model_name");
        var (envelope, channel) = await router.CallAsync(Definition, model,
            (endpoint, upstream) => Sign(new HttpRequestMessage(HttpMethod.Post, endpoint.Url($"v1/videos/{kind}"))
            {
                Content = VendorHttp.JsonBody(ChannelPayload.WithText(body, "model_name", upstream), options: Json),
            }, endpoint),
            routed => ReadAsync(routed.Response, routed.Endpoint, ct), ct);
        return TaskOf(envelope).TaskId is { Length: > 0 } id
            ? new VendorTaskRef(id, channel.Id)
            : throw ApiException.VendorError(Definition.Name, "response has no task_id");
    }

    /// <summary><c>GET /v1/videos/{kind}/{task_id}</c> on the channel that created the task.</summary>
    public async Task<KlingTask> QueryAsync(string kind, VendorTaskRef task, CancellationToken ct) =>
        TaskOf((await QueryAsync(kind, task.TaskId, router.TaskChannel(Definition, task.ChannelId), ct)).Value);

    VendorDefinition IChannelProbe.Vendor => Definition;

    string? IChannelProbe.ModelFor(string? requested) => null;

    /// <summary>
    /// <c>GET /v1/videos/text2video/{an id Kling never issues}</c> on <paramref name="channel"/>: Kling verifies the JWT
    /// first (refusals are 1000–1004 with HTTP 401), then answers that the task does not exist.
    /// </summary>
    public async Task<string> ProbeAsync(Channel channel, string? model, CancellationToken ct)
    {
        try
        {
            var envelope = (await QueryAsync("text2video", ChannelProbes.NoSuchTask, channel, ct)).Value;
            return envelope.Code is 0 || NoSuchTask(CodeOf(envelope))
                ? $"code {CodeOf(envelope)}: {envelope.Message ?? "no message"}"
                : throw Failure(envelope);
        }
        catch (ApiException e) when (e.VendorStatus is 400 or 404 && NoSuchTask(e.VendorCode))
        {
            return $"no such task (HTTP {e.VendorStatus}, code {e.VendorCode})";
        }
    }

    /// <summary>Kling's answers for a task the account does not have: 1203 "the resource does not exist" (HTTP 404) or 1201 "invalid parameter" (HTTP 400).</summary>
    private static bool NoSuchTask(string? code) => code is "1203" or "1201";

    private Task<(KlingEnvelope Value, Channel Channel)> QueryAsync(string kind, string taskId, Channel channel, CancellationToken ct) =>
        router.CallAsync(Definition, null,
            (endpoint, _) => Sign(new HttpRequestMessage(HttpMethod.Get, endpoint.Url($"v1/videos/{kind}/{Uri.EscapeDataString(taskId)}")), endpoint),
            routed => ReadAsync(routed.Response, routed.Endpoint, ct), ct, only: channel);

    private HttpRequestMessage Sign(HttpRequestMessage message, VendorEndpoint endpoint)
    {
        try
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer",
                KlingJwt.Create(endpoint.RequireKey(), endpoint.RequireSecret(), clock.GetUtcNow()));
            return message;
        }
        catch
        {
            message.Dispose();
            throw;
        }
    }

    /// <summary>The envelope, after the codes that are the account's and not the request's (another channel may take the call).</summary>
    private static async Task<KlingEnvelope> ReadAsync(HttpResponseMessage response, VendorEndpoint vendor, CancellationToken ct)
    {
        var envelope = await VendorHttp.ReadJsonAsync<KlingEnvelope>(response, vendor, Json, ct);
        // 1300s other than 1301 are the account's limits (rate, concurrency, resource pack): another account may take it.
        if (envelope.Code is >= 1300 and < 1400 && envelope.Code != 1301)
            throw new ChannelFailureException(VendorOutcomes.RateLimited,
                ApiException.RateLimited($"{Definition.Name} is rate limiting: {envelope.Message ?? "try again later"}"));
        return envelope;
    }

    private static KlingTask TaskOf(KlingEnvelope envelope) => envelope.Code is 0
        ? envelope.Data ?? throw ApiException.VendorError(Definition.Name, "response has no data")
        : throw Failure(envelope);

    private static ApiException Failure(KlingEnvelope envelope) =>
        ApiException.VendorError(Definition.Name, $"code {CodeOf(envelope) ?? "missing"}: {envelope.Message ?? "no message"}");

    private static string? CodeOf(KlingEnvelope envelope) => envelope.Code?.ToString(CultureInfo.InvariantCulture);
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
