using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Ihui.Tests.Fakes;

/// <summary>
/// Generative Language API: <c>POST /v1beta/models/{model}:generateContent</c>, key in <c>x-goog-api-key</c>
/// or <c>?key=</c> (missing → 403 PERMISSION_DENIED, wrong → 400 API_KEY_INVALID, as Google answers).
/// </summary>
public sealed class FakeGemini(string apiKey) : FakeVendor
{
    public string Reply { get; set; } = "Gemini says hello.";
    public int PromptTokens { get; set; } = 8;
    public int CandidateTokens { get; set; } = 5;
    public int ThoughtTokens { get; set; } = 7;
    public string? BlockReason { get; set; }

    protected override void Map(WebApplication app) => app.MapPost("/v1beta/models/{**rest}", (HttpContext ctx, string rest) =>
    {
        var key = ctx.Request.Headers["x-goog-api-key"].ToString() is { Length: > 0 } h ? h : ctx.Request.Query["key"].ToString();
        if (key.Length == 0)
            return Error(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without established identity).");
        if (key != apiKey)
            return Error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.");
        if (!rest.EndsWith(":generateContent", StringComparison.Ordinal))
            return Error(404, "NOT_FOUND", "method not found");
        if (Mode == FakeMode.Fail)
            return Error(FailStatus, FailStatus == 429 ? "RESOURCE_EXHAUSTED" : "INTERNAL", $"fake failure {FailStatus}");

        JsonNode? body;
        try { body = JsonNode.Parse(Current(ctx).Body); }
        catch (JsonException) { return Error(400, "INVALID_ARGUMENT", "Invalid JSON payload received."); }
        if (body?["contents"] is not JsonArray { Count: > 0 })
            return Error(400, "INVALID_ARGUMENT", "* GenerateContentRequest.contents: contents is not specified");

        if (BlockReason is not null)
            return Results.Json(new { promptFeedback = new { blockReason = BlockReason }, usageMetadata = new { promptTokenCount = PromptTokens, totalTokenCount = PromptTokens } });
        return Results.Json(new
        {
            candidates = new[]
            {
                new
                {
                    content = new { role = "model", parts = new object[] { new { text = "thinking...", thought = true }, new { text = Reply } } },
                    finishReason = "STOP",
                },
            },
            usageMetadata = new
            {
                promptTokenCount = PromptTokens, candidatesTokenCount = CandidateTokens, thoughtsTokenCount = ThoughtTokens,
                totalTokenCount = PromptTokens + CandidateTokens + ThoughtTokens,
            },
            modelVersion = rest.Split(':')[0],
        });
    });

    private static IResult Error(int code, string status, string message) =>
        Results.Json(new { error = new { code, message, status } }, statusCode: code);
}
