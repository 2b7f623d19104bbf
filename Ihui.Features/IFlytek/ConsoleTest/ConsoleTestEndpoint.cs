using Carter;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Http;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.IFlytek.ConsoleTest;

public sealed class ConsoleTestEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost(ConsoleTestRequest.Route,
                async (ConsoleTestRequest request, [FromHeader(Name = "Authorization")] string? authorization, ISender sender, CancellationToken ct) =>
                {
                    var result = await sender.Send(request with { AccessToken = AdminBearer.From(authorization) }, ct);
                    return TypedResults.Ok(new ModelReply(0, "文本模型回复成功", result.Content, result.ConsumeToken));
                })
            .WithTags("Admin")
            .WithSummary("控制台测试接口 (seed 002)");
}
