using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Common.Http;

/// <summary>The shape of a seed-000 HTTP route: JSON body, <c>user_uuid</c> in the body or query, the envelope.</summary>
public static class SeedEndpoints
{
    /// <param name="withQueryUser">puts the query's <c>user_uuid</c> into the request when the body has none</param>
    /// <param name="toData">the seed's <c>data</c> object for a result</param>
    public static RouteHandlerBuilder MapSeedPost<TRequest, TResult, TData>(this IEndpointRouteBuilder app, string route,
        Func<TRequest, string?, TRequest> withQueryUser, Func<TResult, TData> toData)
        where TRequest : IRequest<TResult> =>
        app.MapPost(route, async Task<Ok<Envelope<TData>>> (TRequest request, [FromQuery(Name = "user_uuid")] string? userUuid,
            ISender sender, CancellationToken ct) =>
        {
            var result = await sender.Send(withQueryUser(request, userUuid), ct);
            return TypedResults.Ok(Envelope.Ok(toData(result)));
        });
}
