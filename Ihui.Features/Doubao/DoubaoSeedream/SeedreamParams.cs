using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ihui.Features.Common.Http;

namespace Ihui.Features.Doubao.DoubaoSeedream;

/// <summary>The Seedream parameters a client may set through <c>zidingyican</c> (§1b); other names are ignored.</summary>
public static partial class SeedreamParams
{
    public static CustomParam? Find(IReadOnlyList<CustomParam>? list, string name) => list?.LastOrDefault(p => p.Name == name);

    public static (JsonNode? Value, string? Error) Convert(CustomParam p) => p.Name switch
    {
        "size" => p.Text is { } s && (s is "1K" or "2K" or "4K" || SizePattern().IsMatch(s)) ? (s, null) : (null, "size must be 1K, 2K, 4K or WIDTHxHEIGHT"),
        "seed" => p.AsLong is >= -1 and <= int.MaxValue ? (p.AsLong.Value, null) : (null, "seed must be an integer from -1 to 2147483647"),
        "guidance_scale" => decimal.TryParse(p.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var g) && g is >= 1 and <= 10
            ? (g, null) : (null, "guidance_scale must be a number from 1 to 10"),
        "watermark" => p.AsBool is { } w ? (w, null) : (null, "watermark must be true or false"),
        "sequential_image_generation" => p.Text is "auto" or "disabled" ? (p.Text, null) : (null, "sequential_image_generation must be auto or disabled"),
        "max_images" => p.AsLong is >= 1 and <= 15 ? (p.AsLong.Value, null) : (null, "max_images must be from 1 to 15"),
        _ => (null, null),
    };

    [GeneratedRegex("^[1-9][0-9]{2,3}x[1-9][0-9]{2,3}$")]
    private static partial Regex SizePattern();
}
