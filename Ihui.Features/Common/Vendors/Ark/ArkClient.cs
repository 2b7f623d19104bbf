using System.Text.Json;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Tasks;
using Ihui.Features.Common.Vendors.Channels;

namespace Ihui.Features.Common.Vendors.Ark;

/// <summary>
/// Volcengine Ark's native endpoints beyond chat (vendor-protocols.md §1b, §1c): Seedream images and Seedance
/// video tasks, over Ark's channels (bearer key; the default channel's is <c>DOUBAO_API_KEY</c>). A task is polled on
/// the channel that created it.
/// </summary>
public sealed class ArkClient(ChannelRouter router)
{
    public VendorDefinition Vendor => KnownVendors.Ark;

    /// <summary><c>POST /contents/generations/tasks</c> → the task id (<c>cgt-…</c>) and the channel that took it.</summary>
    public async Task<VendorTaskRef> CreateVideoTaskAsync(JsonElement body, CancellationToken ct)
    {
        var (doc, channel) = await BearerJsonCall.SendAsync(router, Vendor, HttpMethod.Post, "contents/generations/tasks", body, ct);
        using var _ = doc;
        return doc.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } s
            ? new VendorTaskRef(s, channel.Id)
            : throw ApiException.VendorError(Vendor.Name, "task create answered without an id");
    }

    /// <summary><c>GET /contents/generations/tasks/{id}</c> on the channel that created it, the raw task object.</summary>
    public async Task<JsonDocument> GetVideoTaskAsync(VendorTaskRef task, CancellationToken ct) =>
        (await BearerJsonCall.SendAsync(router, Vendor, HttpMethod.Get, "contents/generations/tasks/" + Uri.EscapeDataString(task.TaskId), null, ct,
            router.TaskChannel(Vendor, task.ChannelId))).Value;

    /// <summary><c>POST /images/generations</c> (synchronous Seedream).</summary>
    public async Task<JsonDocument> GenerateImagesAsync(JsonElement body, CancellationToken ct) =>
        (await BearerJsonCall.SendAsync(router, Vendor, HttpMethod.Post, "images/generations", body, ct)).Value;
}
