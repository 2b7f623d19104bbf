using System.Text.Json.Serialization;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Common.Tasks;
using Mediator;

namespace Ihui.Features.DashScope.DashScopeTextToImage;

/// <summary>Seed 000 HTTP #4–#6, 通义千问/万相图片生成: an async text-to-image task; the model is the last path segment.</summary>
public sealed record DashScopeTextToImageRequest : IRequest<TaskView>, ILoggedCall, IUserUuidRequest
{
    public static string Route => "/cozeZhsApi/dashscope/image/generate/{model}";

    /// <summary>Sizes each model accepts (vendor-protocols.md §3c); the first is the default.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Sizes = new Dictionary<string, string[]>
    {
        ["qwen-image-plus"] = ["1328*1328", "1664*928", "1472*1140", "1140*1472", "928*1664"],
        ["qwen-image"] = ["1328*1328", "1664*928", "1472*1140", "1140*1472", "928*1664"],
        ["wan2.5-t2i-preview"] = ["1280*1280", "1440*1440", "1696*960", "960*1696", "1472*1104", "1104*1472"],
    };

    public static readonly IReadOnlyDictionary<string, int> MaxImages = new Dictionary<string, int>
    {
        ["qwen-image-plus"] = 1, ["qwen-image"] = 1, ["wan2.5-t2i-preview"] = 4,
    };

    /// <summary>From the route.</summary>
    [JsonIgnore] public string? RouteModel { get; init; }
    public string? Prompt { get; init; }
    public string? NegativePrompt { get; init; }
    public string? Model { get; init; }
    public string? Size { get; init; }
    public int? N { get; init; }
    public bool? PromptExtend { get; init; }
    public bool? Watermark { get; init; }
    public long? Seed { get; init; }
    public string? UserUuid { get; init; }
    public string? ChatId { get; init; }
    [JsonIgnore] public string? IdempotencyKey { get; init; }

    public string EffectiveModel => RouteModel ?? "";
    public int Count => N ?? 1;

    /// <summary>
    /// Seed clients send <c>1024*1024</c>, which the Qwen/Wan models do not offer: a square size the model lacks
    /// becomes the model's own square (its default).
    /// </summary>
    public string EffectiveSize => Size is null || (IsSquare(Size) && !Sizes[EffectiveModel].Contains(Size)) ? Sizes[EffectiveModel][0] : Size;

    private static bool IsSquare(string size) => size.Split('*') is [var w, var h] && w == h && int.TryParse(w, out _);
}
