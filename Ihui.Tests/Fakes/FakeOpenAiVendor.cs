using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Ihui.Tests.Fakes;

/// <summary>
/// An OpenAI-compatible chat vendor (DashScope compatible mode, Ark, Zhipu, DeepSeek): <c>Bearer</c> key check,
/// required <c>model</c>/<c>messages</c>, JSON or SSE answers with usage, OpenAI error bodies.
/// <paramref name="authorize"/> replaces the plain key check (e.g. Zhipu's JWT); it returns an error message or null.
/// </summary>
/// With <paramref name="imagesPath"/> it also speaks OpenAI's images API (<c>images/generations</c>, as 302.AI does): each
/// image is a PNG served from the fake's own <c>/files/</c> until <see cref="ExpireFiles"/> (vendor URLs expire).
public sealed class FakeOpenAiVendor(string chatPath, string apiKey, Func<string, string?>? authorize = null, string? imagesPath = null) : FakeVendor
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> _files = new();

    /// <summary>Answers images as <c>b64_json</c> instead of URLs.</summary>
    public bool ImagesAsBase64 { get; set; }

    /// <summary>Every image the fake made, by file name (what a copy must equal).</summary>
    public IReadOnlyDictionary<string, byte[]> Files => _files;

    /// <summary>The fake's image URLs stop working, as a vendor's do after a day.</summary>
    public void ExpireFiles() => _files.Clear();

    /// <summary>A PNG signature and random bytes: an image by its first bytes, unique per call.</summary>
    public static byte[] NewPng() => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. System.Security.Cryptography.RandomNumberGenerator.GetBytes(64)];

    private void MapImages(WebApplication app, string path)
    {
        app.MapPost(path, (HttpContext ctx) =>
        {
            if (ctx.Request.Headers.Authorization.ToString() != $"Bearer {apiKey}") return Error(401, "invalid_api_key", "Incorrect API key provided.");
            if (Mode == FakeMode.Fail)
                return Error(FailStatus, FailStatus == 400 ? "content_policy_violation" : "internal_error", $"fake failure {FailStatus}");
            JsonNode? body;
            try { body = JsonNode.Parse(Current(ctx).Body); }
            catch (JsonException) { return Error(400, "invalid_request_error", "We could not parse the JSON body of your request."); }
            var size = body?["size"]?.GetValue<string>();
            if (string.IsNullOrEmpty(body?["model"]?.GetValue<string>()) || string.IsNullOrEmpty(body?["prompt"]?.GetValue<string>()))
                return Error(400, "invalid_request_error", "model and prompt are required");
            if (size is not null && !System.Text.RegularExpressions.Regex.IsMatch(size, "^[0-9]+x[0-9]+$"))
                return Error(400, "invalid_request_error", $"Invalid size '{size}'");
            var n = body["n"]?.GetValue<int>() ?? 1;
            var data = Enumerable.Range(0, n).Select(_ =>
            {
                var png = NewPng();
                var name = Guid.NewGuid().ToString("N") + ".png";
                _files[name] = png;
                return ImagesAsBase64 ? (object)new { b64_json = Convert.ToBase64String(png) } : new { url = $"{BaseUrl}/files/{name}", revised_prompt = (string?)null };
            }).ToArray();
            return Results.Json(new { created = 1714645945, data });
        });
        app.MapGet("/files/{name}", (string name) => _files.TryGetValue(name, out var png) ? Results.Bytes(png, "image/png") : Results.NotFound());
    }

    protected override void Map(WebApplication app)
    {
        if (imagesPath is not null) MapImages(app, imagesPath);
        MapChat(app);
    }

    private int _aborts;

    /// <summary>Streams the caller abandoned (the gateway cancelled the request) while the fake was still answering.</summary>
    public int Aborts => Volatile.Read(ref _aborts);

    public string Reply { get; set; } = "你好！我是通义千问。";
    public int PromptTokens { get; set; } = 30;
    public int CompletionTokens { get; set; } = 12;
    /// <summary>DeepSeek-style keep-alive comments and a reasoning stream before the content.</summary>
    public string? Reasoning { get; set; }
    public bool SendUsage { get; set; } = true;
    /// <summary>Streams this many content pieces, then sends nothing more (keeping the connection open) until the caller gives up.</summary>
    public int? StallAfterPieces { get; set; }
    /// <summary>Replies used (one per non-streamed call) before falling back to <see cref="Reply"/>.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> QueuedReplies { get; } = new();

    private void MapChat(WebApplication app) => app.MapPost(chatPath, async (HttpContext ctx) =>
    {
        var authorization = ctx.Request.Headers.Authorization.ToString();
        var authError = authorize is null ? (authorization == $"Bearer {apiKey}" ? null : "Incorrect API key provided.") : authorize(authorization);
        if (authError is not null)
            return Error(401, "invalid_api_key", authError);
        if (Mode == FakeMode.Fail)
            return Error(FailStatus, FailStatus == 429 ? "rate_limit_exceeded" : "internal_error", $"fake failure {FailStatus}");

        JsonNode? body;
        try { body = JsonNode.Parse(Current(ctx).Body); }
        catch (JsonException) { return Error(400, "invalid_request_error", "We could not parse the JSON body of your request."); }
        var model = body?["model"]?.GetValue<string>();
        if (string.IsNullOrEmpty(model) || body?["messages"] is not JsonArray { Count: > 0 })
            return Error(400, "invalid_request_error", "model and messages are required");

        if (body["stream"]?.GetValue<bool>() == true)
        {
            try
            {
                await StreamAsync(ctx, model, body["stream_options"]?["include_usage"]?.GetValue<bool>() == true);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException && ctx.RequestAborted.IsCancellationRequested)
            {
                Interlocked.Increment(ref _aborts);
            }
            return Results.Empty;
        }
        return Results.Json(new
        {
            id = "chatcmpl-fake",
            @object = "chat.completion",
            created = 1714645945,
            model,
            choices = new[] { new { index = 0, message = new { role = "assistant", content = QueuedReplies.TryDequeue(out var queued) ? queued : Reply, reasoning_content = Reasoning }, finish_reason = "stop" } },
            usage = SendUsage ? new { prompt_tokens = PromptTokens, completion_tokens = CompletionTokens, total_tokens = PromptTokens + CompletionTokens } : null,
        });
    });

    private async Task StreamAsync(HttpContext ctx, string model, bool includeUsage)
    {
        ctx.Response.ContentType = "text/event-stream";
        async Task Send(object chunk)
        {
            await ctx.Response.WriteAsync("data: " + JsonSerializer.Serialize(chunk) + "\n\n");
            await ctx.Response.Body.FlushAsync();
        }
        object Chunk(object delta, string? finish = null) => new
        {
            id = "chatcmpl-fake", @object = "chat.completion.chunk", created = 1714645945, model,
            choices = new[] { new { index = 0, delta, finish_reason = finish } },
        };

        await ctx.Response.WriteAsync(": keep-alive\n\n");
        await Send(Chunk(new { role = "assistant", content = "" }));
        if (Reasoning is not null)
            foreach (var piece in Pieces(Reasoning)) await Send(Chunk(new { reasoning_content = piece }));
        var pieces = Pieces(Reply).ToList();
        for (var i = 0; i < pieces.Count; i++)
        {
            if (Mode == FakeMode.CutStream && i == pieces.Count / 2)
            {
                // Let what was sent reach the reader first: a reset can discard data still unread in the socket.
                await Task.Delay(Delay > TimeSpan.FromMilliseconds(300) ? Delay : TimeSpan.FromMilliseconds(300));
                ctx.Abort();
                return;
            }
            await Send(Chunk(new { content = pieces[i] }));
            if (Mode == FakeMode.Slow) await Task.Delay(Delay, ctx.RequestAborted);
            if (i + 1 == StallAfterPieces) await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
        }
        await Send(Chunk(new { }, "stop"));
        if (includeUsage && SendUsage)
            await Send(new
            {
                id = "chatcmpl-fake", @object = "chat.completion.chunk", created = 1714645945, model, choices = Array.Empty<object>(),
                usage = new { prompt_tokens = PromptTokens, completion_tokens = CompletionTokens, total_tokens = PromptTokens + CompletionTokens },
            });
        await ctx.Response.WriteAsync("data: [DONE]\n\n");
    }

    private static IEnumerable<string> Pieces(string text)
    {
        for (var i = 0; i < text.Length; i += 3) yield return text.Substring(i, Math.Min(3, text.Length - i));
    }

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new { error = new { message, type = "invalid_request_error", param = (string?)null, code }, request_id = "fake-req" }, statusCode: status);
}
