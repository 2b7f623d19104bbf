using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Ihui.Tests.Fakes;

/// <summary>
/// DashScope's native API (vendor-protocols.md §3b–§3f): async image/video synthesis that requires
/// <c>X-DashScope-Async: enable</c>, <c>GET /api/v1/tasks/{id}</c> moving PENDING → RUNNING → SUCCEEDED/FAILED as polled,
/// and the synchronous multimodal generation (image edit, ASR). Bearer key check and DashScope's error body.
/// Prompt markers: <c>[fail]</c>, <c>[stall]</c>, <c>[garbage]</c> (poll answers malformed JSON).
/// </summary>
public sealed class FakeDashScopeTasks(string apiKey) : FakeVendor
{
    public sealed record FakeTask(string Id, string Model, string Kind, string Prompt, int Count, int Duration)
    {
        public ConcurrentQueue<DateTime> Polls { get; } = new();
    }

    public ConcurrentDictionary<string, FakeTask> Tasks { get; } = new();
    public int RunningPolls { get; set; } = 1;
    public string Transcript { get; set; } = "今天天气很好。";
    private int _next;

    protected override void Map(WebApplication app)
    {
        app.MapPost("/api/v1/services/aigc/text2image/image-synthesis", (HttpContext ctx, CancellationToken _) => Create(ctx, "image"));
        app.MapPost("/api/v1/services/aigc/image2image/image-synthesis", (HttpContext ctx, CancellationToken _) => Create(ctx, "image"));
        app.MapPost("/api/v1/services/aigc/video-generation/video-synthesis", (HttpContext ctx, CancellationToken _) => Create(ctx, "video"));
        app.MapGet("/api/v1/tasks/{id}", async (HttpContext ctx, string id) =>
        {
            if (Unauthorized(ctx) is { } denied) return denied;
            if (!Tasks.TryGetValue(id, out var task))
                return Results.Json(new { request_id = "req-fake", output = new { task_id = id, task_status = "UNKNOWN" } });
            task.Polls.Enqueue(DateTime.UtcNow);
            if (Mode == FakeMode.Fail) return Error(FailStatus, "InternalError", $"fake failure {FailStatus}");
            if (task.Prompt.Contains("[garbage]"))
            {
                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync("{\"output\": {\"task_status\": ");
                return Results.Empty;
            }
            var n = task.Polls.Count;
            var status = task.Prompt.Contains("[stall]") || n <= RunningPolls ? (n == 1 ? "PENDING" : "RUNNING")
                : task.Prompt.Contains("[fail]") ? "FAILED" : "SUCCEEDED";
            var output = new JsonObject { ["task_id"] = id, ["task_status"] = status };
            JsonObject? usage = null;
            if (status == "FAILED")
            {
                output["code"] = "DataInspectionFailed";
                output["message"] = "Output data may contain inappropriate content.";
            }
            else if (status == "SUCCEEDED" && task.Kind == "image")
            {
                output["results"] = new JsonArray(Enumerable.Range(1, task.Count).Select(i =>
                    (JsonNode)new JsonObject { ["url"] = $"https://dashscope-result.example.com/{id}-{i}.png", ["orig_prompt"] = task.Prompt }).ToArray());
                usage = new JsonObject { ["image_count"] = task.Count };
            }
            else if (status == "SUCCEEDED")
            {
                output["video_url"] = $"https://dashscope-result.example.com/{id}.mp4";
                usage = new JsonObject { ["video_duration"] = task.Duration, ["video_ratio"] = "1280*720", ["video_count"] = 1 };
            }
            return Results.Json(new JsonObject { ["request_id"] = "req-fake", ["output"] = output, ["usage"] = usage });
        });
        app.MapPost("/api/v1/services/aigc/multimodal-generation/generation", async (HttpContext ctx) =>
        {
            if (Unauthorized(ctx) is { } denied) return denied;
            if (Mode == FakeMode.Fail) return Error(FailStatus, "InternalError", $"fake failure {FailStatus}");
            if (ctx.Request.Headers.ContainsKey("X-DashScope-Async"))
                return Error(400, "InvalidParameter", "This model does not support asynchronous calls.");
            var body = await ParseAsync(ctx);
            var content = (body?["input"]?["messages"] as JsonArray)?.LastOrDefault()?["content"] as JsonArray;
            if (string.IsNullOrEmpty(body?["model"]?.GetValue<string>()) || content is null)
                return Error(400, "InvalidParameter", "model and input.messages are required");
            if (content.Any(c => c?["audio"] is not null))
                return Results.Json(new
                {
                    request_id = "req-fake",
                    output = new { choices = new[] { new { finish_reason = "stop", message = new { role = "assistant", content = new[] { new { text = Transcript } }, annotations = new[] { new { type = "audio_info", language = "zh", emotion = "neutral" } } } } } },
                    usage = new { input_tokens_details = new { text_tokens = 0 }, output_tokens = 9, input_tokens = 60, seconds = 3 },
                });
            if (!content.Any(c => c?["image"] is not null) || !content.Any(c => c?["text"] is not null))
                return Error(400, "InvalidParameter", "an image and a text are required");
            return Results.Json(new
            {
                request_id = "req-fake",
                output = new { choices = new[] { new { finish_reason = "stop", message = new { role = "assistant", content = new[] { new { image = "https://dashscope-result.example.com/edited.png" } } } } } },
                usage = new { width = 1024, height = 1024, image_count = 1 },
            });
        });
    }

    private async Task<IResult> Create(HttpContext ctx, string kind)
    {
        if (Unauthorized(ctx) is { } denied) return denied;
        if (Mode == FakeMode.Fail) return Error(FailStatus, "InternalError", $"fake failure {FailStatus}");
        if (ctx.Request.Headers["X-DashScope-Async"].ToString() != "enable")
            return Error(403, "AccessDenied", "current user api does not support synchronous calls");
        var body = await ParseAsync(ctx);
        var model = body?["model"]?.GetValue<string>();
        var prompt = body?["input"]?["prompt"]?.GetValue<string>();
        if (string.IsNullOrEmpty(model) || string.IsNullOrEmpty(prompt)) return Error(400, "InvalidParameter", "model and input.prompt are required");
        var id = $"ds-{Interlocked.Increment(ref _next):D6}-{Guid.NewGuid():N}"[..24];
        var n = body?["parameters"]?["n"]?.GetValue<int>() ?? 1;
        var duration = body?["parameters"]?["duration"]?.GetValue<int>() ?? 5;
        Tasks[id] = new FakeTask(id, model, kind, prompt, n, duration);
        return Results.Json(new { request_id = "req-fake", output = new { task_id = id, task_status = "PENDING" } });
    }

    private static async Task<JsonNode?> ParseAsync(HttpContext ctx)
    {
        try { return JsonNode.Parse(await new StreamReader(ctx.Request.Body).ReadToEndAsync()); }
        catch (JsonException) { return null; }
    }

    private IResult? Unauthorized(HttpContext ctx) =>
        ctx.Request.Headers.Authorization.ToString() == $"Bearer {apiKey}"
            ? null
            : Error(401, "InvalidApiKey", "Invalid API-key provided.");

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new { request_id = "req-fake", code, message }, statusCode: status);
}
