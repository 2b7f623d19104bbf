using Carter;
using Ihui.Features.Common.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Doubao.DoubaoVideoGeneration;

public sealed class DoubaoVideoGenerationEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapTaskPost<DoubaoVideoGenerationRequest, VideoTaskData>(DoubaoVideoGenerationRequest.Route, "video generation",
                (request, input) => request with { UserUuid = request.UserUuid ?? input.UserUuid, IdempotencyKey = input.IdempotencyKey },
                (_, task, done) => VideoTaskData.From(task, done))
            .WithTags("Doubao")
            .WithSummary("豆包视频生成 (seed 000 #1, Seedance task)");
}
