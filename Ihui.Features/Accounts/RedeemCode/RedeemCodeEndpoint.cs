using Carter;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Accounts.RedeemCode;

/// <summary>
/// Seed 002 documents this route under the path of <c>/admin/delete_token</c> (a copy-paste slip); that path
/// also accepts this body (see DeleteTokenEndpoint). <c>/auth/redeem_token</c> is the unambiguous path.
/// </summary>
public sealed class RedeemCodeEndpoint : ICarterModule
{
    public const string Route = "/auth/redeem_token";

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost(Route, async (RedeemCodeRequest request, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(request, ct)))
            .WithTags("Accounts")
            .WithSummary("兑换令牌 (seed 002)");
}
