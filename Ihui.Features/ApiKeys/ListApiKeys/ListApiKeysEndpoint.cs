using Carter;
using Ihui.Features.Common.Http;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.ApiKeys.ListApiKeys;

public sealed class ListApiKeysEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapGet("/api/keys", async ([FromQuery(Name = "user_uuid")] string? userUuid, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(Envelope.Ok(await sender.Send(new ListApiKeysRequest(userUuid), ct))))
            .WithTags("API keys")
            .WithSummary("List the caller's API keys");
}
