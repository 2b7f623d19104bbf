using Carter;
using Ihui.Features.Common.Http;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.ApiKeys.CreateApiKey;

public sealed class CreateApiKeyEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost("/api/keys",
                async (CreateApiKeyRequest request, [FromQuery(Name = "user_uuid")] string? userUuid, ISender sender, CancellationToken ct) =>
                    TypedResults.Ok(Envelope.Ok(await sender.Send(request with { UserUuid = request.UserUuid ?? userUuid }, ct))))
            .WithTags("API keys")
            .WithSummary("Create an API key (the secret is shown once)");
}
