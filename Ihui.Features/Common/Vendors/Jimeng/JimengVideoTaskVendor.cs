using System.Collections.Frozen;
using System.Text.Json;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Tasks;

namespace Ihui.Features.Common.Vendors.Jimeng;

/// <summary>
/// Jimeng 3.0 video tasks for seed 000 #16–#19. The payload is the vendor's submit body (see <see cref="JimengVideoPayload"/>);
/// its <c>req_key</c> must be one of <see cref="JimengVideoPayload.ReqKeys"/> — anything else is refused before any vendor call.
/// </summary>
public sealed class JimengVideoTaskVendor(JimengClient client) : ITaskVendor
{
    public const string TaskKind = "jimeng.video";

    public string Kind => TaskKind;

    public Task<VendorTaskRef> SubmitAsync(JsonElement payload, CancellationToken ct)
    {
        JimengVideoPayload.RequireReqKey(payload);
        return client.SubmitAsync(payload, ct);
    }

    public async Task<VendorTaskSnapshot> PollAsync(VendorTaskRef task, JsonElement payload, CancellationToken ct)
    {
        var reqKey = JimengVideoPayload.RequireReqKey(payload);
        var data = await client.GetResultAsync(reqKey, task, ct);
        return data.Status switch
        {
            "in_queue" => new VendorTaskSnapshot(TaskState.Queued),
            "generating" => new VendorTaskSnapshot(TaskState.Running),
            "done" when data.VideoUrl is { Length: > 0 } url =>
                new VendorTaskSnapshot(TaskState.Succeeded, 100, [url], new Usage(0, 0, Seconds: JimengVideoPayload.SecondsOf(payload))),
            "done" => new VendorTaskSnapshot(TaskState.Failed, Error: "jimeng reported done without a video_url"),
            "not_found" => new VendorTaskSnapshot(TaskState.Failed, Error: "jimeng does not know this task (not_found)"),
            "expired" => new VendorTaskSnapshot(TaskState.Expired, Error: "jimeng task expired"),
            _ => throw ApiException.VendorError(JimengClient.Definition.Name, $"unknown task status '{data.Status}'"),
        };
    }
}

/// <summary>
/// Builds and checks Jimeng video submit bodies (vendor-protocols.md §2). Seed #16–#18 are image-to-video
/// (first frame; first + last frame; camera move), #19 is text-to-video in 1080p.
/// </summary>
public static class JimengVideoPayload
{
    public const string TextToVideo1080p = "jimeng_t2v_v30_1080p";

    /// <summary>req_key → how many images it takes (min, max).</summary>
    public static readonly FrozenDictionary<string, (int Min, int Max)> ReqKeys = new Dictionary<string, (int, int)>
    {
        ["jimeng_i2v_first_tail_v30"] = (2, 2),
        ["jimeng_i2v_first_v30"] = (1, 1),
        ["jimeng_i2v_recamera_v30"] = (1, 1),
        [TextToVideo1080p] = (0, 0),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static readonly FrozenSet<string> AspectRatios = new[] { "16:9", "4:3", "1:1", "3:4", "9:16", "21:9" }.ToFrozenSet(StringComparer.Ordinal);
    public static readonly FrozenSet<string> CameraStrengths = new[] { "weak", "medium", "strong" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary><c>zidingyican</c> names passed through to the vendor; all others are refused.</summary>
    public static readonly FrozenSet<string> PassThrough = new[] { "seed", "aspect_ratio", "template_id", "camera_strength" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>5 s = 121 frames, 10 s = 241 frames (24 fps + 1).</summary>
    public static int FramesFor(int seconds) => seconds switch
    {
        5 => 121,
        10 => 241,
        _ => throw ApiException.BadRequest("duration must be 5 or 10 seconds"),
    };

    public static JsonElement Build(string reqKey, string prompt, IReadOnlyList<string> imageUrls, int durationSeconds,
        IReadOnlyDictionary<string, string>? extra = null)
    {
        if (!ReqKeys.TryGetValue(reqKey, out var images)) throw UnknownReqKey(reqKey);
        if (imageUrls.Count < images.Min || imageUrls.Count > images.Max)
            throw ApiException.BadRequest(images.Min == images.Max
                ? $"{reqKey} takes exactly {images.Min} image(s)"
                : $"{reqKey} takes {images.Min}–{images.Max} images");
        var body = new Dictionary<string, object>
        {
            ["req_key"] = reqKey,
            ["prompt"] = prompt,
            ["seed"] = -1,
            ["frames"] = FramesFor(durationSeconds),
        };
        if (imageUrls.Count > 0) body["image_urls"] = imageUrls;
        if (reqKey == TextToVideo1080p) body["aspect_ratio"] = "16:9";
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            if (!PassThrough.Contains(name)) throw ApiException.BadRequest($"zidingyican: '{name}' is not a Jimeng parameter");
            body[name] = name switch
            {
                "seed" when long.TryParse(value, out var seed) => seed,
                "seed" => throw ApiException.BadRequest("zidingyican: seed must be an integer"),
                "aspect_ratio" when reqKey != TextToVideo1080p => throw ApiException.BadRequest("zidingyican: aspect_ratio applies to text-to-video only"),
                "aspect_ratio" when !AspectRatios.Contains(value) => throw ApiException.BadRequest($"zidingyican: aspect_ratio must be one of {string.Join(", ", AspectRatios)}"),
                "camera_strength" when !CameraStrengths.Contains(value) => throw ApiException.BadRequest("zidingyican: camera_strength must be weak, medium or strong"),
                "template_id" or "camera_strength" when reqKey != "jimeng_i2v_recamera_v30" => throw ApiException.BadRequest($"zidingyican: {name} applies to jimeng_i2v_recamera_v30 only"),
                _ => value,
            };
        }
        return JsonSerializer.SerializeToElement(body);
    }

    public static string RequireReqKey(JsonElement payload)
    {
        var reqKey = payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("req_key", out var k) && k.ValueKind == JsonValueKind.String
            ? k.GetString()!
            : throw ApiException.BadRequest("jimeng payload has no req_key");
        return ReqKeys.ContainsKey(reqKey) ? reqKey : throw UnknownReqKey(reqKey);
    }

    public static decimal SecondsOf(JsonElement payload) =>
        payload.TryGetProperty("frames", out var f) && f.TryGetInt32(out var frames) && frames >= 241 ? 10 : 5;

    private static ApiException UnknownReqKey(string reqKey) =>
        ApiException.BadRequest($"unknown Jimeng req_key '{reqKey}' (known: {string.Join(", ", ReqKeys.Keys.Order(StringComparer.Ordinal))})");
}
