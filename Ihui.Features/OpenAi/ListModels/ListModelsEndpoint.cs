using Carter;
using Ihui.Features.Common.Http;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.OpenAi.ListModels;

public sealed class ListModelsEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/models", async (HttpContext http, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ListModelsRequest(Bearer.Token(http.Request)), ct)))
            .WithTags("OpenAI")
            .WithSummary("OpenAI-compatible model list");
}
