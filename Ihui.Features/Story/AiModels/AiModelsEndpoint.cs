using Carter;
using Ihui.Features.Common.Http;
using Ihui.Features.Story.Shared;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Story.AiModels;

/// <summary>Seed 003's model registry: "获取可用模型" and "获取最长未用模型".</summary>
public sealed class AiModelsEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/ai").WithTags("Story platform");
        group.MapGet("/models", async (HttpRequest http, [FromQuery] string? type, [FromQuery(Name = "llm_id")] string? llmId, ISender sender, CancellationToken ct) =>
                StoryJson.Ok(await sender.Send(new ListAiModelsRequest(Bearer.Token(http), type, llmId), ct)))
            .WithSummary("List the available models");
        group.MapGet("/models/least-used/{type}", async (HttpRequest http, [FromRoute] string type, ISender sender, CancellationToken ct) =>
                StoryJson.Ok(await sender.Send(new LeastUsedModelRequest(Bearer.Token(http), type), ct)))
            .WithSummary("Pick the least recently used model of a type");
    }
}
