using System.Text.Json;
using System.Text.Json.Serialization;
using Carter;
using Ihui.Features.Common.Errors;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Ihui.Features.DashScope.DashScopeAudioRecognize;

/// <summary>
/// The seed answers this route without the envelope (<c>success/message/transcription/…</c>), so its errors keep that
/// shape too: <c>{"success":false,"message":"…","code":N}</c> with the HTTP status N.
/// </summary>
public sealed class DashScopeAudioRecognizeEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost(DashScopeAudioRecognizeRequest.Route,
                async (HttpRequest http, ISender sender, IOptions<JsonOptions> json, CancellationToken ct) =>
                {
                    try
                    {
                        DashScopeAudioRecognizeRequest? request;
                        try
                        {
                            request = await JsonSerializer.DeserializeAsync<DashScopeAudioRecognizeRequest>(http.Body, json.Value.SerializerOptions, ct);
                        }
                        catch (JsonException)
                        {
                            throw ApiException.BadRequest("malformed JSON body");
                        }
                        if (request is null) throw ApiException.BadRequest("a JSON body is required");
                        var result = await sender.Send(request with { UserUuid = request.UserUuid ?? http.Query["user_uuid"].FirstOrDefault() }, ct);
                        return Results.Json(new RecognizeAnswer(true, "识别完成", result.Transcription, result.LanguageDetected, result.TotalTokens,
                            null, result.Receipt?.Charged, result.Receipt?.Balance), json.Value.SerializerOptions);
                    }
                    catch (ApiException e)
                    {
                        return Results.Json(new RecognizeAnswer(false, e.Message, null, null, null, e.Status, null, null), json.Value.SerializerOptions,
                            statusCode: e.Status);
                    }
                })
            .Accepts<DashScopeAudioRecognizeRequest>("application/json")
            .WithTags("DashScope")
            .WithSummary("通义千问音频识别 (seed 000 #10; answers success/message, not the envelope)");
}

public sealed record RecognizeAnswer(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("transcription")] string? Transcription,
    [property: JsonPropertyName("language_detected")] string? LanguageDetected,
    [property: JsonPropertyName("total_tokens")] long? TotalTokens,
    [property: JsonPropertyName("code")] int? Code,
    [property: JsonPropertyName("consume_token")] long? ConsumeToken,
    [property: JsonPropertyName("balance")] long? Balance);
