using System.Text.Json.Serialization;
using Carter;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Http;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Volcengine.VolcengineImage;

public sealed class VolcengineImageEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost(VolcengineImageRequest.Route,
                async (VolcengineImageRequest request, [FromQuery(Name = "user_uuid")] string? userUuid, ISender sender, CancellationToken ct) =>
                {
                    var result = await sender.Send(request with { UserUuid = request.UserUuid ?? userUuid }, ct);
                    return TypedResults.Ok(Envelope.Ok(new VolcengineImageData(result.ImageUrls, result.Receipt)));
                })
            .WithTags("Volcengine")
            .WithSummary("火山引擎图片生成 (seed 000 #15; Jimeng text-to-image via CVProcess)");
}

public sealed record VolcengineImageData(
    [property: JsonPropertyName("image_urls")] IReadOnlyList<string> ImageUrls,
    [property: JsonIgnore] Receipt? Receipt) : BilledData(Receipt);
