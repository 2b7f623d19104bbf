using System.Text.Json.Serialization;
using Carter;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Http;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Doubao.DoubaoImageEdit;

public sealed class DoubaoImageEditEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost(DoubaoImageEditRequest.Route,
                async (DoubaoImageEditRequest request, [FromQuery(Name = "user_uuid")] string? userUuid, ISender sender, CancellationToken ct) =>
                {
                    var result = await sender.Send(request with { UserUuid = request.UserUuid ?? userUuid }, ct);
                    return TypedResults.Ok(Envelope.Ok(new ImageEditData(result.ImageUrl, result.Receipt)));
                })
            .WithTags("Doubao")
            .WithSummary("豆包图片编辑 (seed 000 #3)");
}

public sealed record ImageEditData(
    [property: JsonPropertyName("image_url")] string ImageUrl,
    [property: JsonIgnore] Receipt? Receipt) : BilledData(Receipt);
