using System.Text.Json.Serialization;
using Carter;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Http;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.DashScope.DashScopeImageEdit;

public sealed class DashScopeImageEditEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost(DashScopeImageEditRequest.Route,
                async (DashScopeImageEditRequest request, [FromQuery(Name = "user_uuid")] string? userUuid, ISender sender, CancellationToken ct) =>
                {
                    var result = await sender.Send(request with { UserUuid = request.UserUuid ?? userUuid }, ct);
                    return TypedResults.Ok(Envelope.Ok(new EditedImageData(result.EditedImageUrl, result.Receipt)));
                })
            .WithTags("DashScope")
            .WithSummary("通义千问图片编辑 (seed 000 #8)");
}

public sealed record EditedImageData(
    [property: JsonPropertyName("edited_image_url")] string EditedImageUrl,
    [property: JsonIgnore] Receipt? Receipt) : BilledData(Receipt);
