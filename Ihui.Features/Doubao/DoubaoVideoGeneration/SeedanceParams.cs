using System.Text.Json.Nodes;
using Ihui.Features.Common.Http;

namespace Ihui.Features.Doubao.DoubaoVideoGeneration;

/// <summary>The Seedance create parameters a client may set through <c>zidingyican</c>; other names are ignored.</summary>
public static class SeedanceParams
{
    private static readonly string[] Resolutions = ["480p", "720p", "1080p"];
    private static readonly string[] Ratios = ["16:9", "4:3", "1:1", "3:4", "9:16", "21:9", "adaptive"];
    private static readonly string[] Bools = ["camera_fixed", "watermark", "return_last_frame", "generate_audio"];

    public static readonly IReadOnlySet<string> Known = new HashSet<string>(["resolution", "ratio", "duration", "seed", .. Bools], StringComparer.Ordinal);

    public static CustomParam? Find(IReadOnlyList<CustomParam>? list, string name) => list?.LastOrDefault(p => p.Name == name);

    /// <summary>The vendor value of a known parameter, or the reason it is not acceptable.</summary>
    public static (JsonNode? Value, string? Error) Convert(CustomParam p) => p.Name switch
    {
        "resolution" => p.Text is { } r && Resolutions.Contains(r) ? (r, null) : (null, "resolution must be 480p, 720p or 1080p"),
        "ratio" => p.Text is { } r && Ratios.Contains(r) ? (r, null) : (null, "ratio must be one of " + string.Join(", ", Ratios)),
        "duration" => p.AsLong is >= 2 and <= 12 ? (p.AsLong.Value, null) : (null, "duration must be a whole number of seconds from 2 to 12"),
        "seed" => p.AsLong is >= -1 and <= uint.MaxValue ? (p.AsLong.Value, null) : (null, "seed must be an integer from -1 to 4294967295"),
        { } b when Bools.Contains(b) => p.AsBool is { } v ? (v, null) : (null, $"{b} must be true or false"),
        _ => (null, null),
    };
}
