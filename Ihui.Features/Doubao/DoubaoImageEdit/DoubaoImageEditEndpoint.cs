using System.Text.Json.Serialization;
using Carter;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Doubao.DoubaoImageEdit;

public sealed class DoubaoImageEditEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapSeedPost<DoubaoImageEditRequest, DoubaoImageEditResult, ImageEditData>(DoubaoImageEditRequest.Route,
                (request, user) => request with { UserUuid = request.UserUuid ?? user },
                result => new ImageEditData(result.ImageUrl, result.Receipt))
            .WithTags("Doubao")
            .WithSummary("豆包图片编辑 (seed 000 #3)");
}

public sealed record ImageEditData(
    [property: JsonPropertyName("image_url")] string ImageUrl,
    [property: JsonIgnore] Receipt? Receipt) : BilledData(Receipt);
