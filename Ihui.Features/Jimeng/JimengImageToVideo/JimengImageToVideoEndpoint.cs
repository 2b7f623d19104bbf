using Carter;
using Ihui.Features.Common.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Jimeng.JimengImageToVideo;

public sealed class JimengImageToVideoEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapTaskPost<JimengImageToVideoRequest, ResultUrlTaskData>(JimengImageToVideoRequest.Route, "jimeng video generation",
                (request, input) => request with
                {
                    ReqKey = input.RouteValue("req_key"), UserUuid = request.UserUuid ?? input.UserUuid, IdempotencyKey = input.IdempotencyKey,
                },
                (_, task, done) => ResultUrlTaskData.From(task, done))
            .WithTags("Jimeng")
            .WithSummary("即梦图生视频 (seed 000 #16–#18, Jimeng 3.0 task)");
}
