using System.Text.Json.Serialization;
using Carter;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.DashScope.DashScopeImageEdit;

public sealed class DashScopeImageEditEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapSeedPost<DashScopeImageEditRequest, DashScopeImageEditResult, EditedImageData>(DashScopeImageEditRequest.Route,
                (request, user) => request with { UserUuid = request.UserUuid ?? user },
                result => new EditedImageData(result.EditedImageUrl, result.Receipt))
            .WithTags("DashScope")
            .WithSummary("通义千问图片编辑 (seed 000 #8)");
}

public sealed record EditedImageData(
    [property: JsonPropertyName("edited_image_url")] string EditedImageUrl,
    [property: JsonIgnore] Receipt? Receipt) : BilledData(Receipt);
