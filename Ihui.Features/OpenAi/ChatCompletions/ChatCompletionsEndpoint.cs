using Ihui.Features.Common.ChatCompletions;
using System.Text.Json;
using System.Text.Json.Serialization;
using Carter;
using Ihui.Features.Common.Configuration;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Http;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.OpenAi.ChatCompletions;

/// <summary>
/// OpenAI's chat completions (seed 004 <c>/v1/chat/completions</c>; seed 003 <c>/llm/chat/completions</c>, also under its
/// base URL <c>/api/v1</c>). A stream is admitted before anything is written: the first chunk is awaited, so auth,
/// validation, balance, quota and a vendor failing before its first token are real HTTP statuses.
/// </summary>
public sealed class ChatCompletionsEndpoint : ICarterModule
{
    private static JsonSerializerOptions Json => ChatCompletionsJson.Options;

    public void AddRoutes(IEndpointRouteBuilder app)
    {
        foreach (var route in (string[])["/v1/chat/completions", "/llm/chat/completions", "/api/v1/llm/chat/completions"])
            app.MapPost(route, HandleAsync).Accepts<ChatCompletionsBody>("application/json")
                .WithTags("OpenAI").WithSummary("OpenAI-compatible chat completions (seed 004, seed 003)");
    }

    private static async Task HandleAsync(HttpContext http, ISender sender, GatewaySettings settings, OpenAiApiSettings options,
        IOptions<JsonOptions> json, ILogger<ChatCompletionsEndpoint> logger, CancellationToken ct)
    {
        var body = await ChatCompletionsBodyReader.ReadAsync(http.Request, json.Value.SerializerOptions, ct);
        var key = Bearer.Token(http.Request);
        body = body with { Model = body.Model ?? body.ModelId ?? options.DefaultModel };
        if (body.Stream != true)
        {
            var result = await sender.Send(new ChatCompletionsRequest(body, key, settings.DefaultMaxOutputTokens), ct);
            if (result.Receipt is { } receipt)
            {
                http.Response.Headers["X-Ihui-Charged"] = receipt.Charged.ToString();
                http.Response.Headers["X-Ihui-Balance"] = receipt.Balance.ToString();
            }
            await http.Response.WriteAsJsonAsync(result.Response, Json, ct);
            return;
        }

        await using var chunks = sender.CreateStream(new ChatCompletionsStreamRequest(body, key, settings.DefaultMaxOutputTokens), ct)
            .GetAsyncEnumerator(ct);
        // Admission: exceptions here become the OpenAI error shape with their real status.
        var more = await chunks.MoveNextAsync();

        http.Response.ContentType = "text/event-stream; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        ChatCompletionChunk? last = null;
        try
        {
            for (; more; more = await chunks.MoveNextAsync())
            {
                var chunk = chunks.Current;
                if (chunk.Wire is { } wire) await EventStream.WriteSseAsync(http.Response, last = wire, Json, ct);
                else if (chunk.Receipt is not null && body.IncludeUsage && last is not null)
                    await EventStream.WriteSseAsync(http.Response, last with { Choices = [], Usage = UsageOut.From(chunk.BilledUsage) }, Json, ct);
            }
            await EventStream.WriteRawAsync(http.Response, EventStream.Done, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away; the billing behaviour settles what was delivered.
        }
        catch (Exception e)
        {
            // Past the headers a status can no longer change: the stream ends with an error event and no [DONE].
            var (status, code, message) = e is ApiException api ? (api.Status, api.Code, api.Message) : (500, "internal_error", "internal server error");
            if (e is ApiException) logger.LogWarning("Stream {Route} failed after output started: {Code} {Message}", http.Request.Path.Value, code, message);
            else logger.LogError(e, "Stream {Route} failed after output started", http.Request.Path.Value);
            await EventStream.WriteSseAsync(http.Response, new OpenAiError(new OpenAiErrorBody(code, message, status >= 500 ? "server_error" : "invalid_request_error")), Json, ct);
        }
    }
}
