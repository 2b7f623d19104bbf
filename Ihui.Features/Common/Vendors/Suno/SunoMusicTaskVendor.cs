using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Tasks;

namespace Ihui.Features.Common.Vendors.Suno;

/// <summary>Suno music tasks (seed 000 #21). Billed per submitted task (gateways charge a fixed price per action).</summary>
public sealed class SunoMusicTaskVendor(SunoClient client) : ITaskVendor
{
    public const string TaskKind = "suno.music";

    public string Kind => TaskKind;

    public Task<VendorTaskRef> SubmitAsync(JsonElement payload, CancellationToken ct) => client.SubmitMusicAsync(payload, ct);

    public async Task<VendorTaskSnapshot> PollAsync(VendorTaskRef vendorTask, JsonElement payload, CancellationToken ct)
    {
        var task = await client.FetchAsync(vendorTask, ct);
        var progress = ParseProgress(task.Progress);
        switch (task.Status)
        {
            case "NOT_START" or "SUBMITTED" or "QUEUED": return new VendorTaskSnapshot(TaskState.Queued, progress);
            case "IN_PROGRESS": return new VendorTaskSnapshot(TaskState.Running, progress);
            case "FAILURE": return new VendorTaskSnapshot(TaskState.Failed, Error: task.FailReason ?? "suno task failed");
            case "UNKNOWN": return new VendorTaskSnapshot(TaskState.Failed, Error: "suno does not know this task (UNKNOWN)");
            case "SUCCESS":
                var urls = task.Data?.Select(c => c.AudioUrl).OfType<string>().Where(u => u.Length > 0).ToList() ?? [];
                return urls.Count == 0
                    ? new VendorTaskSnapshot(TaskState.Failed, Error: "suno reported success without an audio_url")
                    : new VendorTaskSnapshot(TaskState.Succeeded, 100, urls, new Usage(0, 0));
            default:
                throw ApiException.VendorError(SunoClient.Definition.Name, $"unknown task status '{task.Status}'");
        }
    }

    private static int? ParseProgress(string? progress) =>
        progress is not null && int.TryParse(progress.TrimEnd('%'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 100
            ? p : null;
}

/// <summary>
/// Suno submit bodies from seed #21's fields: <c>prompt</c> is a description (inspiration mode, <c>gpt_description_prompt</c>),
/// <c>style</c> becomes <c>tags</c>, the seed's model name maps to Suno's <c>mv</c>. Suno takes no duration.
/// </summary>
public static class SunoMusicPayload
{
    public static readonly FrozenDictionary<string, string> Models = new Dictionary<string, string>
    {
        ["suno-v3"] = "chirp-v3-0",
        ["suno-v3.5"] = "chirp-v3-5",
        ["suno-v4"] = "chirp-v4",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary><c>zidingyican</c> names passed through to Suno; all others are refused.</summary>
    public static readonly FrozenSet<string> PassThrough = new[] { "title", "make_instrumental", "negative_tags" }.ToFrozenSet(StringComparer.Ordinal);

    public static JsonElement Build(string model, string prompt, string? style, IReadOnlyDictionary<string, string>? extra = null)
    {
        if (!Models.TryGetValue(model, out var mv)) throw ApiException.InvalidModel(model);
        var body = new Dictionary<string, object>
        {
            ["gpt_description_prompt"] = prompt,
            ["mv"] = mv,
            ["make_instrumental"] = false,
        };
        if (!string.IsNullOrWhiteSpace(style)) body["tags"] = style;
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            if (!PassThrough.Contains(name)) throw ApiException.BadRequest($"zidingyican: '{name}' is not a Suno parameter");
            body[name] = name switch
            {
                "make_instrumental" when bool.TryParse(value, out var b) => b,
                "make_instrumental" => throw ApiException.BadRequest("zidingyican: make_instrumental must be true or false"),
                _ when value.Length > 200 => throw ApiException.BadRequest($"zidingyican: {name} is too long"),
                _ => value,
            };
        }
        return JsonSerializer.SerializeToElement(body);
    }
}
