using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Common.Vendors.Ark;
using Mediator;

namespace Ihui.Features.Doubao.DoubaoSeedream;

/// <summary>Seed 000 HTTP #2, 豆包图片生成: synchronous Seedream, billed per generated image.</summary>
public sealed record DoubaoSeedreamRequest : IRequest<DoubaoSeedreamResult>, ILoggedCall, IUserUuidRequest, IBillable
{
    public const int MaxReferenceImages = 10;

    public static string Route => "/cozeZhsApi/proxy/doubao-seedream-generation";

    public string? Prompt { get; init; }
    public IReadOnlyList<string>? Images { get; init; }
    public string? UserUuid { get; init; }
    public string? ChatId { get; init; }
    public IReadOnlyList<CustomParam>? Zidingyican { get; init; }

    /// <summary>With <c>sequential_image_generation=auto</c> Seedream may make up to <c>max_images</c>; the hold covers them all.</summary>
    public int MostImages => SeedreamParams.Find(Zidingyican, "sequential_image_generation")?.Text == "auto"
        ? (int)(SeedreamParams.Find(Zidingyican, "max_images")?.AsLong ?? 15)
        : 1;

    string IBillable.PriceModel => SeedreamImages.PriceModel;
    public Usage EstimateUsage() => new(0, 0, Images: MostImages);
}

public sealed record DoubaoSeedreamResult(IReadOnlyList<string> ImageUrls, Usage Usage) : IBilled
{
    public Receipt? Receipt { get; set; }
}
