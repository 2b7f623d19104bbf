using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Common.Vendors.Ark;
using Mediator;

namespace Ihui.Features.Doubao.DoubaoImageEdit;

/// <summary>Seed 000 HTTP #3, 豆包图片编辑: one image edited by a prompt (Seedream image-to-image), one image billed.</summary>
public sealed record DoubaoImageEditRequest : IRequest<DoubaoImageEditResult>, ILoggedCall, IUserUuidRequest, IBillable
{
    public static string Route => "/cozeZhsApi/proxy/doubao-image-edit";

    public string? Prompt { get; init; }
    public string? Image { get; init; }
    public string? UserUuid { get; init; }
    public string? ChatId { get; init; }

    string IBillable.PriceModel => SeedreamImages.PriceModel;
    public Usage EstimateUsage() => new(0, 0, Images: 1);
}

public sealed record DoubaoImageEditResult(string ImageUrl, Usage Usage) : IBilled
{
    public Receipt? Receipt { get; set; }
}
