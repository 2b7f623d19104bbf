using System.Text.Json.Serialization;
using Carter;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Http;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Doubao.DoubaoSeedream;

public sealed class DoubaoSeedreamEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost(DoubaoSeedreamRequest.Route,
                async (DoubaoSeedreamRequest request, [FromQuery(Name = "user_uuid")] string? userUuid, ISender sender, CallContext call, CancellationToken ct) =>
                {
                    var result = await sender.Send(request with { UserUuid = request.UserUuid ?? userUuid }, ct);
                    return TypedResults.Ok(Envelope.Ok(new SeedreamData(result.ImageUrls[0], result.ImageUrls, call.CallId, result.Receipt)));
                })
            .WithTags("Doubao")
            .WithSummary("豆包Seedream图片生成 (seed 000 #2)");
}

/// <summary><c>task_id</c> is the call's id (Seedream answers synchronously; the call log row has this id).</summary>
public sealed record SeedreamData(
    [property: JsonPropertyName("image_url")] string ImageUrl,
    [property: JsonPropertyName("image_urls")] IReadOnlyList<string> ImageUrls,
    [property: JsonPropertyName("task_id")] string TaskId,
    [property: JsonIgnore] Receipt? Receipt) : BilledData(Receipt);
