using Carter;
using Ihui.Features.Common.Http;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.IFlytek.PictureToText;

public sealed class PictureToTextEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost(PictureToTextRequest.Route,
                async (HttpRequest http, [FromHeader(Name = "uuid")] string? uuid, [FromHeader(Name = "username")] string? username,
                    ISender sender, CancellationToken ct) =>
                {
                    var image = await BinaryBody.ReadAsync(http, PictureToTextRequest.MaxBytes, "image", ct);
                    var result = await sender.Send(new PictureToTextRequest(image) { Uuid = uuid, Username = username }, ct);
                    return TypedResults.Ok(ModelReply.Ok("请求成功", result.Content));
                })
            .WithTags("iFlytek")
            .WithSummary("图片识别文字接口 (seed 001/002): JPEG/PNG body, uuid/username headers, one picTimes per call")
            .Accepts<byte[]>("image/jpeg", "image/png", "application/octet-stream");
}
