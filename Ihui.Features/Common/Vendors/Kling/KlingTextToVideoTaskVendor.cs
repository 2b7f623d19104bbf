using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Tasks;

namespace Ihui.Features.Common.Vendors.Kling;

/// <summary>Kling text-to-video tasks (seed 000 #20). The payload is Kling's create body (see <see cref="KlingTextToVideoPayload"/>).</summary>
public sealed class KlingTextToVideoTaskVendor(KlingClient client) : ITaskVendor
{
    public const string TaskKind = "kling.text2video";
    private const string Path = "text2video";

    public string Kind => TaskKind;

    public Task<VendorTaskRef> SubmitAsync(JsonElement payload, CancellationToken ct) => client.CreateAsync(Path, payload, ct);

    public async Task<VendorTaskSnapshot> PollAsync(VendorTaskRef vendorTask, JsonElement payload, CancellationToken ct)
    {
        var task = await client.QueryAsync(Path, vendorTask, ct);
        switch (task.TaskStatus)
        {
            case "submitted": return new VendorTaskSnapshot(TaskState.Queued);
            case "processing": return new VendorTaskSnapshot(TaskState.Running);
            case "failed": return new VendorTaskSnapshot(TaskState.Failed, Error: task.TaskStatusMsg ?? "kling task failed");
            case "succeed":
                var videos = task.TaskResult?.Videos?.Where(v => v.Url is { Length: > 0 }).ToList() ?? [];
                if (videos.Count == 0) return new VendorTaskSnapshot(TaskState.Failed, Error: "kling reported success without a video url");
                var seconds = videos.Sum(v => decimal.TryParse(v.Duration, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : 0m);
                if (seconds <= 0) seconds = KlingTextToVideoPayload.SecondsOf(payload);
                return new VendorTaskSnapshot(TaskState.Succeeded, 100, videos.Select(v => v.Url!).ToList(), new Usage(0, 0, Seconds: seconds));
            default:
                throw ApiException.VendorError(KlingClient.Definition.Name, $"unknown task status '{task.TaskStatus}'");
        }
    }
}

/// <summary>Kling text2video create bodies: <c>duration</c> is a string (<c>"5"</c> | <c>"10"</c>).</summary>
public static class KlingTextToVideoPayload
{
    public static readonly FrozenSet<string> AspectRatios = new[] { "16:9", "9:16", "1:1" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary><c>zidingyican</c> names passed through to Kling; all others are refused.</summary>
    public static readonly FrozenSet<string> PassThrough = new[] { "negative_prompt", "cfg_scale", "mode", "aspect_ratio" }.ToFrozenSet(StringComparer.Ordinal);

    public static JsonElement Build(string modelName, string prompt, int durationSeconds, IReadOnlyDictionary<string, string>? extra = null)
    {
        if (durationSeconds is not (5 or 10)) throw ApiException.BadRequest("duration must be 5 or 10 seconds");
        var body = new Dictionary<string, object>
        {
            ["model_name"] = modelName,
            ["prompt"] = prompt,
            ["duration"] = durationSeconds.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            if (!PassThrough.Contains(name)) throw ApiException.BadRequest($"zidingyican: '{name}' is not a Kling parameter");
            body[name] = name switch
            {
                "cfg_scale" when decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var cfg) && cfg is >= 0 and <= 1 => cfg,
                "cfg_scale" => throw ApiException.BadRequest("zidingyican: cfg_scale must be between 0 and 1"),
                "mode" when value is not ("std" or "pro") => throw ApiException.BadRequest("zidingyican: mode must be std or pro"),
                "aspect_ratio" when !AspectRatios.Contains(value) => throw ApiException.BadRequest("zidingyican: aspect_ratio must be 16:9, 9:16 or 1:1"),
                "negative_prompt" when value.Length > 2500 => throw ApiException.BadRequest("zidingyican: negative_prompt is too long"),
                _ => value,
            };
        }
        return JsonSerializer.SerializeToElement(body);
    }

    public static decimal SecondsOf(JsonElement payload) =>
        payload.TryGetProperty("duration", out var d) && d.ValueKind == JsonValueKind.String
        && decimal.TryParse(d.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var s) ? s : 5;
}
