using Carter;
using Ihui.Features.Common.Http;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.ApiKeys.SetApiKeyLimits;

public sealed class SetApiKeyLimitsEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPut("/api/keys/{id}/limits",
                async (string id, SetApiKeyLimitsRequest request, [FromQuery(Name = "user_uuid")] string? userUuid, ISender sender, CancellationToken ct) =>
                    TypedResults.Ok(Envelope.Ok(await sender.Send(request with { Id = id, UserUuid = request.UserUuid ?? userUuid }, ct))))
            .WithTags("API keys")
            .WithSummary("Set an API key's request limits");
}
