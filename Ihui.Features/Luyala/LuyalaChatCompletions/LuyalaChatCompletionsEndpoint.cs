using System.Text.Json.Serialization;
using Carter;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Luyala.LuyalaChatCompletions;

public sealed class LuyalaChatCompletionsEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapSeedPost<LuyalaChatCompletionsRequest, LuyalaChatCompletionsResult, LuyalaCompletionData>(LuyalaChatCompletionsRequest.Route,
                (request, user) => request with { UserUuid = request.UserUuid ?? user },
                result => new LuyalaCompletionData(result.Completion, result.Receipt))
            .WithTags("Luyala")
            .WithSummary("Luyala对话补全 (seed 000 #14)");
}

public sealed record LuyalaCompletionData(
    [property: JsonPropertyName("completion")] string Completion,
    [property: JsonIgnore] Receipt? Receipt) : BilledData(Receipt);
