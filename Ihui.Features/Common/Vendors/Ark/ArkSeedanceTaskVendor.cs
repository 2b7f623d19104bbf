using System.Text.Json;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Tasks;

namespace Ihui.Features.Common.Vendors.Ark;

/// <summary>Seedance video tasks (§1c). The payload is Ark's create body; usage is the video's seconds.</summary>
public sealed class ArkSeedanceTaskVendor(ArkClient ark) : ITaskVendor
{
    public const string KindName = "ark.seedance";

    public string Kind => KindName;

    public Task<VendorTaskRef> SubmitAsync(JsonElement payload, CancellationToken ct) => ark.CreateVideoTaskAsync(payload, ct);

    public async Task<VendorTaskSnapshot> PollAsync(VendorTaskRef task, JsonElement payload, CancellationToken ct)
    {
        using var doc = await ark.GetVideoTaskAsync(task, ct);
        var root = doc.RootElement;
        var status = root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        var state = status switch
        {
            "queued" => TaskState.Queued,
            "running" => TaskState.Running,
            "succeeded" => TaskState.Succeeded,
            "failed" => TaskState.Failed,
            "cancelled" => TaskState.Cancelled,
            "expired" => TaskState.Expired,
            _ => throw ApiException.VendorError(ark.Vendor.Name, $"unknown task status '{status}'"),
        };
        if (!state.IsTerminal()) return new VendorTaskSnapshot(state);

        var url = root.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Object
                  && content.TryGetProperty("video_url", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        Usage? usage = root.TryGetProperty("duration", out var d) && d.ValueKind == JsonValueKind.Number && d.TryGetDecimal(out var seconds) && seconds > 0
            ? new Usage(0, 0, Seconds: seconds)
            : null;
        return new VendorTaskSnapshot(state, ResultUrls: url is { Length: > 0 } ? [url] : [], Usage: usage, Error: ErrorOf(root));
    }

    private static string? ErrorOf(JsonElement root)
    {
        if (root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object
            && e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
            return m.GetString();
        return root.TryGetProperty("failure_reason", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
    }
}
