using Carter;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Vendors.IFlytek;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.IFlytek.TextModelChat;

public sealed class TextModelChatEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost(TextModelChatRequest.Route,
                async (TextModelChatRequest request, IFlytekOptions xfyun, ISender sender, CancellationToken ct) =>
                {
                    var result = await sender.Send(request with { Domain = xfyun.SparkDomain, MaxTokens = xfyun.SparkMaxTokens }, ct);
                    return TypedResults.Ok(ModelReply.Ok("文本大模型回复成功", result.Content, result.Receipt));
                })
            .WithTags("iFlytek")
            .WithSummary("文本大模型非流式接口 (seed 001/002)");
}
