using Carter;
using Ihui.Features.Common.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Jimeng.JimengTextToVideo;

public sealed class JimengTextToVideoEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapTaskPost<JimengTextToVideoRequest, ResultUrlTaskData>(JimengTextToVideoRequest.Route, "jimeng video generation",
                (request, input) => request with { UserUuid = request.UserUuid ?? input.UserUuid, IdempotencyKey = input.IdempotencyKey },
                (_, task, done) => ResultUrlTaskData.From(task, done))
            .WithTags("Jimeng")
            .WithSummary("即梦文生视频 (seed 000 #19, Jimeng 3.0 1080p task)");
}
