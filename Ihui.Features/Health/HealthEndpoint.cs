using System.Text.Json.Serialization;
using Carter;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Health;

public sealed class HealthEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapGet("/health", async (ISender sender, CancellationToken ct) =>
            {
                var report = await sender.Send(new HealthQuery(), ct);
                var body = new HealthBody(report.Healthy ? "healthy" : "unhealthy", report.Timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff"), report.Database);
                return report.Healthy ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
            })
            .WithTags("Health");
}

public sealed record HealthBody(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("timestamp")] string Timestamp,
    [property: JsonPropertyName("database")] string Database);
