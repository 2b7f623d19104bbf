using Carter;
using Ihui.Features.Common.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Kling.KlingGenerate;

public sealed class KlingGenerateEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapTaskPost<KlingGenerateRequest, VideoTaskData>(KlingGenerateRequest.Route, "kling video generation",
                (request, input) => request with { UserUuid = request.UserUuid ?? input.UserUuid, IdempotencyKey = input.IdempotencyKey },
                (_, task, done) => VideoTaskData.From(task, done))
            .WithTags("Kling")
            .WithSummary("可灵视频生成 (seed 000 #20, Kling text-to-video task)");
}
