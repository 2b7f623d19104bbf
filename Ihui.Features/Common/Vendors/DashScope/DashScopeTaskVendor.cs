using System.Text.Json;
using System.Text.Json.Serialization;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Tasks;

namespace Ihui.Features.Common.Vendors.DashScope;

/// <summary>What a DashScope task stores: the service path it was created at and the body.</summary>
public sealed record DashScopeTaskPayload(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("body")] JsonElement Body);

/// <summary>
/// DashScope's async tasks (§3b): image synthesis (usage <c>image_count</c>) and video synthesis (usage
/// <c>video_duration</c>). UNKNOWN (expired or unknown id) is expiry.
/// </summary>
public sealed class DashScopeTaskVendor(DashScopeClient client) : ITaskVendor
{
    public const string KindName = "dashscope.aigc";

    public string Kind => KindName;

    public Task<VendorTaskRef> SubmitAsync(JsonElement payload, CancellationToken ct)
    {
        var p = payload.Deserialize<DashScopeTaskPayload>() ?? throw new InvalidOperationException("empty DashScope task payload");
        return client.SubmitTaskAsync(p.Path, p.Body, ct);
    }

    public async Task<VendorTaskSnapshot> PollAsync(VendorTaskRef task, JsonElement payload, CancellationToken ct)
    {
        using var doc = await client.GetTaskAsync(task, ct);
        var root = doc.RootElement;
        if (!root.TryGetProperty("output", out var output) || output.ValueKind != JsonValueKind.Object)
            throw ApiException.VendorError(client.Vendor.Name, "task answer without output");
        var status = Text(output, "task_status");
        var state = status switch
        {
            "PENDING" => TaskState.Queued,
            "RUNNING" => TaskState.Running,
            "SUCCEEDED" => TaskState.Succeeded,
            "FAILED" => TaskState.Failed,
            "CANCELED" => TaskState.Cancelled,
            "UNKNOWN" => TaskState.Expired,
            _ => throw ApiException.VendorError(client.Vendor.Name, $"unknown task status '{status}'"),
        };
        if (!state.IsTerminal()) return new VendorTaskSnapshot(state);

        var urls = new List<string>();
        if (output.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array)
            foreach (var r in results.EnumerateArray())
                if (Text(r, "url") is { Length: > 0 } u) urls.Add(u);
        if (Text(output, "video_url") is { Length: > 0 } video) urls.Add(video);

        Usage? usage = null;
        if (root.TryGetProperty("usage", out var u1) && u1.ValueKind == JsonValueKind.Object)
        {
            if (u1.TryGetProperty("image_count", out var images) && images.TryGetInt64(out var n)) usage = new Usage(0, 0, Images: n);
            else if (u1.TryGetProperty("video_duration", out var seconds) && seconds.TryGetDecimal(out var s)) usage = new Usage(0, 0, Seconds: s);
        }
        var error = Text(output, "message") is { } m ? $"{Text(output, "code")}: {m}" : null;
        return new VendorTaskSnapshot(state, ResultUrls: urls, Usage: usage, Error: error);
    }

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
