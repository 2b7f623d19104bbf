using Carter;
using Ihui.Features.Accounts.RedeemCode;
using Ihui.Features.Common.Admin;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Admin.DeleteToken;

public sealed class DeleteTokenEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost("/admin/delete_token", async (DeleteTokenBody body, [FromHeader(Name = "Authorization")] string? authorization,
                    ISender sender, CancellationToken ct) =>
                TypedResults.Ok(body.IsRedemption
                    ? await sender.Send(new RedeemCodeRequest { TokenId = body.TokenId, UserId = body.UserId, UserAcademy = body.UserAcademy }, ct)
                    : await sender.Send(new DeleteTokenRequest { TargetToken = body.TargetToken, AccessToken = AdminBearer.From(authorization) }, ct)))
            .WithTags("Admin")
            .WithSummary("删除令牌 / 兑换令牌 (seed 002)");
}
