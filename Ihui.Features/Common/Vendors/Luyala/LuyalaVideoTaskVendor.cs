using System.Globalization;
using System.Text.Json;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Tasks;

namespace Ihui.Features.Common.Vendors.Luyala;

/// <summary>
/// Luyala video jobs (OpenAI Videos API shape). The payload is the <c>POST /videos</c> body; usage is the job's
/// <c>seconds</c>. The result recorded with the task is the vendor's content address, which only Ihui can fetch
/// (clients download through <c>/cozeZhsApi/luyala/video/{task_id}/content</c>).
/// </summary>
public sealed class LuyalaVideoTaskVendor(LuyalaVideoClient client) : ITaskVendor
{
    public const string KindName = "luyala.video";

    public string Kind => KindName;

    public Task<VendorTaskRef> SubmitAsync(JsonElement payload, CancellationToken ct) => client.CreateAsync(payload, ct);

    public async Task<VendorTaskSnapshot> PollAsync(VendorTaskRef task, JsonElement payload, CancellationToken ct)
    {
        using var doc = await client.GetAsync(task, ct);
        var root = doc.RootElement;
        var status = root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        var state = status switch
        {
            "queued" => TaskState.Queued,
            "in_progress" => TaskState.Running,
            "completed" => TaskState.Succeeded,
            "failed" => TaskState.Failed,
            _ => throw ApiException.VendorError(client.Vendor.Name, $"unknown video status '{status}'"),
        };
        int? progress = root.TryGetProperty("progress", out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out var pct) ? pct : null;
        if (!state.IsTerminal()) return new VendorTaskSnapshot(state, progress);
        if (state == TaskState.Failed) return new VendorTaskSnapshot(state, progress, Error: ErrorOf(root) ?? "the video job failed");

        return new VendorTaskSnapshot(state, 100, [client.ContentUrl(task).ToString()], SecondsOf(root) ?? SecondsOf(payload));
    }

    /// <summary><c>seconds</c> is a string in the Videos API ("4"); a number is accepted too.</summary>
    private static Usage? SecondsOf(JsonElement obj)
    {
        if (!obj.TryGetProperty("seconds", out var s)) return null;
        decimal value = 0;
        var ok = s.ValueKind switch
        {
            JsonValueKind.String => decimal.TryParse(s.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out value),
            JsonValueKind.Number => s.TryGetDecimal(out value),
            _ => false,
        };
        return ok && value > 0 ? new Usage(0, 0, Seconds: value) : null;
    }

    private static string? ErrorOf(JsonElement root)
    {
        if (!root.TryGetProperty("error", out var e) || e.ValueKind != JsonValueKind.Object) return null;
        var message = e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        var code = e.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        return (code, message) switch
        {
            ({ Length: > 0 }, { Length: > 0 }) => $"{message} ({code})",
            (_, { Length: > 0 }) => message,
            ({ Length: > 0 }, _) => code,
            _ => null,
        };
    }
}
