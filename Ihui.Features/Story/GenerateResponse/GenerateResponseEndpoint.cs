using Ihui.Features.Common.ChatCompletions;
using Carter;
using Ihui.Features.Common.Configuration;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Http;
using Ihui.Features.Story.Shared;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.Story.GenerateResponse;

/// <summary>
/// <c>POST /story_chat/generate-response</c> → <c>text/event-stream</c>: <c>data: {"content": "…"}</c> per fragment, then
/// <c>data: {"done": true, "message_id", "sequence", "user_message_id", "charged", "balance"}</c>; a failure after the
/// first fragment ends the stream with <c>data: {"error": {"code", "message"}}</c>. Everything that can refuse the call
/// (token, body, conversation, character, balance, a vendor failing before its first token) is decided before the
/// first byte and answered with its status.
/// </summary>
public sealed class GenerateResponseEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/story_chat/generate-response", HandleAsync).WithTags("Story platform").WithSummary("Generate a character's reply");

    private static async Task HandleAsync(HttpContext http, PrepareReplyRequest body, ISender sender, GatewaySettings settings,
        ILogger<GenerateResponseEndpoint> logger, CancellationToken ct)
    {
        var token = Bearer.Token(http.Request);
        var reply = await sender.Send(body with { AccessToken = token }, ct);
        var request = new StoryReplyStreamRequest(new ChatCompletionsBody { Model = reply.Model, Messages = reply.Messages }, token,
            settings.DefaultMaxOutputTokens, reply);
        await using var chunks = sender.CreateStream(request, ct).GetAsyncEnumerator(ct);
        var more = await chunks.MoveNextAsync();

        http.Response.ContentType = "text/event-stream; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        StoredReply? stored = null;
        try
        {
            for (; more; more = await chunks.MoveNextAsync())
            {
                var chunk = chunks.Current;
                if (chunk.Text is { Length: > 0 } text) await EventStream.WriteSseAsync(http.Response, new { content = text }, StoryJson.Options, ct);
                if (chunk.Stored is not null) stored = chunk.Stored;
                if (chunk.Receipt is { } receipt)
                    await EventStream.WriteSseAsync(http.Response, new
                    {
                        done = true, message_id = stored?.MessageId, sequence = stored?.Sequence, user_message_id = stored?.UserMessageId,
                        charged = receipt.Charged, balance = receipt.Balance,
                    }, StoryJson.Options, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away: the handler stores what was delivered, the billing behaviour charges it.
        }
        catch (Exception e)
        {
            var (status, code, message) = e is ApiException api ? (api.Status, api.Code, api.Message) : (500, "internal_error", "internal server error");
            if (e is ApiException) logger.LogWarning("Story reply failed after output started: {Status} {Code} {Message}", status, code, message);
            else logger.LogError(e, "Story reply failed after output started");
            await EventStream.WriteSseAsync(http.Response, new { error = new { code, message } }, StoryJson.Options, ct);
        }
    }
}
