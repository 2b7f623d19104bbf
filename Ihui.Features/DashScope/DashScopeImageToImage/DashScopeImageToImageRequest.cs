using System.Text.Json.Serialization;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Common.Tasks;
using Mediator;

namespace Ihui.Features.DashScope.DashScopeImageToImage;

/// <summary>Seed 000 HTTP #7, 通义千问图生图: new images from reference images and a prompt (wan2.5-i2i-preview, async).</summary>
public sealed record DashScopeImageToImageRequest : IRequest<TaskView>, ILoggedCall, IUserUuidRequest
{
    public const string Model = "wan2.5-i2i-preview";
    public const int MaxImages = 3;
    public const int MaxOutputs = 4;

    public static string Route => "/cozeZhsApi/dashscope/image-to-image";

    public IReadOnlyList<SourceImage>? Images { get; init; }
    public string? Prompt { get; init; }
    public string? UserUuid { get; init; }
    public string? ChatId { get; init; }
    public IReadOnlyList<CustomParam>? Zidingyican { get; init; }
    [JsonIgnore] public string? IdempotencyKey { get; init; }

    public int Count => (int)(Zidingyican?.LastOrDefault(p => p.Name == "n")?.AsLong ?? 1);
}

/// <summary>An image as the seed's front end sends it; <c>imgUrl</c> is the one the vendor gets.</summary>
public sealed record SourceImage(
    [property: JsonPropertyName("imgUrl")] string? ImgUrl,
    [property: JsonPropertyName("originalUrl")] string? OriginalUrl,
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("width")] int? Width,
    [property: JsonPropertyName("height")] int? Height);
