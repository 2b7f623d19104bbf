using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.DashScope.DashScopeImageEdit;

/// <summary>Seed 000 HTTP #8, 通义千问图片编辑: qwen-image-edit (synchronous, §3d), one image billed.</summary>
public sealed record DashScopeImageEditRequest : IRequest<DashScopeImageEditResult>, ILoggedCall, IUserUuidRequest, IBillable
{
    public const string DefaultModel = "qwen-image-edit";
    public static readonly string[] Models = [DefaultModel, "qwen-image-edit-plus"];

    public static string Route => "/api/v1/dashscope/image/edit/simple";

    public string? Prompt { get; init; }
    public string? ImageUrl { get; init; }
    public string? Model { get; init; }
    public string? NegativePrompt { get; init; }
    public string? UserUuid { get; init; }
    public string? ChatId { get; init; }

    public string EffectiveModel => string.IsNullOrEmpty(Model) ? DefaultModel : Model;
    string IBillable.PriceModel => EffectiveModel;
    public Usage EstimateUsage() => new(0, 0, Images: 1);
}

public sealed record DashScopeImageEditResult(string EditedImageUrl, Usage Usage) : IBilled
{
    public Receipt? Receipt { get; set; }
}
