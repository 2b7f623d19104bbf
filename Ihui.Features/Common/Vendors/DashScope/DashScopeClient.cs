using System.Text.Json;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Tasks;
using Ihui.Features.Common.Vendors.Channels;

namespace Ihui.Features.Common.Vendors.DashScope;

/// <summary>
/// DashScope's native API (vendor-protocols.md §3b–§3f): async submit with <c>X-DashScope-Async: enable</c>,
/// <c>GET /api/v1/tasks/{id}</c>, and the synchronous multimodal generation, over DashScope's channels (bearer key; the
/// default channel's is <c>DASHSCOPE_API_KEY</c>). A task is polled on the channel that created it.
/// </summary>
public sealed class DashScopeClient(ChannelRouter router)
{
    public const string MultimodalGenerationPath = "api/v1/services/aigc/multimodal-generation/generation";

    public VendorDefinition Vendor => KnownVendors.DashScope;

    /// <summary>Creates an async task at <paramref name="path"/>; returns <c>output.task_id</c> and the channel that took it.</summary>
    public async Task<VendorTaskRef> SubmitTaskAsync(string path, JsonElement body, CancellationToken ct)
    {
        var (doc, channel) = await BearerJsonCall.SendAsync(router, Vendor, HttpMethod.Post, path, body, ct,
            headers: r => r.Headers.Add("X-DashScope-Async", "enable"));
        using var _ = doc;
        return doc.RootElement.TryGetProperty("output", out var output) && output.ValueKind == JsonValueKind.Object
               && output.TryGetProperty("task_id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } s
            ? new VendorTaskRef(s, channel.Id)
            : throw ApiException.VendorError(Vendor.Name, "task create answered without output.task_id");
    }

    public async Task<JsonDocument> GetTaskAsync(VendorTaskRef task, CancellationToken ct) =>
        (await BearerJsonCall.SendAsync(router, Vendor, HttpMethod.Get, "api/v1/tasks/" + Uri.EscapeDataString(task.TaskId), null, ct,
            router.TaskChannel(Vendor, task.ChannelId))).Value;

    /// <summary>The synchronous multimodal generation (qwen-image-edit, qwen3-asr-flash).</summary>
    public async Task<JsonDocument> GenerateAsync(JsonElement body, CancellationToken ct) =>
        (await BearerJsonCall.SendAsync(router, Vendor, HttpMethod.Post, MultimodalGenerationPath, body, ct)).Value;
}
