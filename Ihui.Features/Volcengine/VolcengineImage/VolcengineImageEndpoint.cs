using System.Text.Json.Serialization;
using Carter;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Volcengine.VolcengineImage;

public sealed class VolcengineImageEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapSeedPost<VolcengineImageRequest, VolcengineImageResult, VolcengineImageData>(VolcengineImageRequest.Route,
                (request, user) => request with { UserUuid = request.UserUuid ?? user },
                result => new VolcengineImageData(result.ImageUrls, result.Receipt))
            .WithTags("Volcengine")
            .WithSummary("火山引擎图片生成 (seed 000 #15; Jimeng text-to-image via CVProcess)");
}

public sealed record VolcengineImageData(
    [property: JsonPropertyName("image_urls")] IReadOnlyList<string> ImageUrls,
    [property: JsonIgnore] Receipt? Receipt) : BilledData(Receipt);
