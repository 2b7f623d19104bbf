using Carter;
using Ihui.Features.Common.Http;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.ApiKeys.RevokeApiKey;

public sealed class RevokeApiKeyEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapDelete("/api/keys/{id}", async (string id, [FromQuery(Name = "user_uuid")] string? userUuid, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(Envelope.Ok(await sender.Send(new RevokeApiKeyRequest(userUuid, id), ct))))
            .WithTags("API keys")
            .WithSummary("Revoke an API key");
}
