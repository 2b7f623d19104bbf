using System.Globalization;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.Volcengine.VolcengineImage;

/// <summary>
/// Seed 000 HTTP #15, 火山引擎图片生成: text to <c>n</c> images through Volcengine's signed visual API
/// (Jimeng text-to-image, synchronous <c>CVProcess</c>), one vendor call per image.
/// </summary>
public sealed record VolcengineImageRequest : IRequest<VolcengineImageResult>, ILoggedCall, IUserUuidRequest, IBillable
{
    public const string DefaultModel = "volcengine-image";
    public const int MaxImages = 4;
    public const int MinSide = 256;
    public const int MaxSide = 2048;

    public static string Route => "/cozeZhsApi/proxy/volcengine/image";

    public string? Prompt { get; init; }
    public string? Model { get; init; }
    public string? Size { get; init; }
    public int? N { get; init; }
    public string? UserUuid { get; init; }
    public string? ChatId { get; init; }

    public string EffectiveModel => string.IsNullOrWhiteSpace(Model) ? DefaultModel : Model;
    public int EffectiveN => N ?? 1;
    string IBillable.PriceModel => EffectiveModel;

    public Usage EstimateUsage() => new(0, 0, Images: EffectiveN);

    /// <summary>Seed sizes are <c>W*H</c> (<c>x</c> is accepted too); null when malformed.</summary>
    public static (int Width, int Height)? ParseSize(string? size)
    {
        if (string.IsNullOrWhiteSpace(size)) return (1024, 1024);
        var parts = size.Split('*', 'x', 'X');
        return parts.Length == 2
               && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var w)
               && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            ? (w, h)
            : null;
    }
}

public sealed record VolcengineImageResult(IReadOnlyList<string> ImageUrls, Usage Usage) : IBilled
{
    public Receipt? Receipt { get; set; }
}
