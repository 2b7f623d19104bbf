using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.Vision.DashScopeVisionChat;

/// <summary>Seed 000 HTTP #9, 通义千问视觉对话: a prompt about zero or more images.</summary>
public sealed record DashScopeVisionChatRequest : IRequest<DashScopeVisionChatResult>, ILoggedCall, IUserUuidRequest, IBillable
{
    public const string DefaultModel = "qwen-vl-max";

    /// <summary>The answer is capped so the hold bounds the cost.</summary>
    public const int MaxOutputTokens = 1024;

    /// <summary>Estimated input tokens per image (the vendor counts the real figure).</summary>
    public const int TokensPerImage = 1280;

    public static string Route => "/cozeZhsApi/dashscope/vision/chat";

    public string? Prompt { get; init; }
    public IReadOnlyList<string>? ImageUrls { get; init; }
    public string? Model { get; init; }
    public string? UserUuid { get; init; }
    public string? ChatId { get; init; }

    public string EffectiveModel => string.IsNullOrWhiteSpace(Model) ? DefaultModel : Model;
    string IBillable.PriceModel => EffectiveModel;

    public Usage EstimateUsage() =>
        new(Usage.TokensForText(Prompt) + (ImageUrls?.Count ?? 0) * TokensPerImage, MaxOutputTokens);
}

public sealed record DashScopeVisionChatResult(string Content, Usage Usage) : IBilled
{
    public Receipt? Receipt { get; set; }
}
