using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Ihui.Tests.Fakes;

/// <summary>
/// Volcengine Ark's task and image endpoints (vendor-protocols.md §1b, §1c) under <c>/api/v3</c>: Bearer key check,
/// Seedance tasks that move queued → running → a terminal state as they are polled, Ark error bodies.
/// A task's script is read from markers in its prompt: <c>[fail]</c>, <c>[stall]</c> (running forever),
/// <c>[nourl]</c> (succeeds without a video), <c>[nousage]</c> (no duration reported), <c>[cancel]</c>.
/// While <see cref="Hold"/> is set every task stays running.
/// </summary>
public sealed class FakeArk(string apiKey) : FakeVendor
{
    public sealed class FakeTask(string id, string prompt, int duration)
    {
        public string Id => id;
        public string Prompt => prompt;
        public int Duration => duration;
        public ConcurrentQueue<DateTime> Polls { get; } = new();
    }

    public ConcurrentDictionary<string, FakeTask> Tasks { get; } = new();
    public int RunningPolls { get; set; } = 2;
    /// <summary>Seconds reported for finished videos instead of the requested duration.</summary>
    public int? ReportedDuration { get; set; }
    public volatile bool Hold;
    private int _next;

    public FakeTask TaskFor(string vendorTaskId) => Tasks[vendorTaskId];
    public int Creates => Received.Count(r => r.Method == "POST" && r.Path.EndsWith("/tasks", StringComparison.Ordinal));

    protected override void Map(WebApplication app)
    {
        app.MapPost("/api/v3/contents/generations/tasks", async (HttpContext ctx) =>
        {
            if (Unauthorized(ctx) is { } denied) return denied;
            if (Mode == FakeMode.Fail) return Error(FailStatus, "InternalServiceError", $"fake failure {FailStatus}");
            JsonNode? body;
            try { body = JsonNode.Parse(await new StreamReader(ctx.Request.Body).ReadToEndAsync()); }
            catch (JsonException) { return Error(400, "InvalidParameter", "The request body is not valid JSON."); }
            var model = body?["model"]?.GetValue<string>();
            var text = (body?["content"] as JsonArray)?.FirstOrDefault(c => c?["type"]?.GetValue<string>() == "text")?["text"]?.GetValue<string>();
            if (string.IsNullOrEmpty(model) || text is null) return Error(400, "InvalidParameter", "model and a text content item are required");
            var id = $"cgt-{Interlocked.Increment(ref _next):D6}";
            Tasks[id] = new FakeTask(id, text, body?["duration"]?.GetValue<long>() is { } d ? (int)d : 5);
            return Results.Json(new { id });
        });

        app.MapGet("/api/v3/contents/generations/tasks/{id}", async (HttpContext ctx, string id) =>
        {
            if (Unauthorized(ctx) is { } denied) return denied;
            if (!Tasks.TryGetValue(id, out var task)) return Error(404, "ResourceNotFound", $"task {id} not found");
            task.Polls.Enqueue(DateTime.UtcNow);
            if (Mode == FakeMode.Fail || task.Prompt.Contains("[pollfail]")) return Error(FailStatus, "InternalServiceError", $"fake failure {FailStatus}");
            if (task.Prompt.Contains("[garbage]"))
            {
                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync("{\"id\": \"cgt-");
                return Results.Empty;
            }
            var n = task.Polls.Count;
            var p = task.Prompt;
            string status = n == 1 ? "queued"
                : Hold || p.Contains("[stall]") || n <= 1 + RunningPolls ? "running"
                : p.Contains("[fail]") ? "failed"
                : p.Contains("[cancel]") ? "cancelled"
                : "succeeded";
            var done = status == "succeeded";
            return Results.Json(new Dictionary<string, object?>
            {
                ["id"] = id,
                ["model"] = "doubao-seedance-1-0-pro-250528",
                ["status"] = status,
                ["content"] = done && !p.Contains("[nourl]") ? new { video_url = $"https://ark-cdn.example.com/{id}.mp4" } : null,
                ["usage"] = done ? new { completion_tokens = 246840, total_tokens = 246840 } : null,
                ["duration"] = done && !p.Contains("[nousage]") ? ReportedDuration ?? task.Duration : null,
                ["error"] = status == "failed" ? new { code = "OutputVideoSensitiveContentDetected", message = "The output video may contain sensitive information." } : null,
                ["created_at"] = 1743414619,
                ["updated_at"] = 1743414673,
            });
        });

        app.MapPost("/api/v3/images/generations", async (HttpContext ctx) =>
        {
            if (Unauthorized(ctx) is { } denied) return denied;
            if (Mode == FakeMode.Fail) return Error(FailStatus, "InternalServiceError", $"fake failure {FailStatus}");
            JsonNode? body;
            try { body = JsonNode.Parse(await new StreamReader(ctx.Request.Body).ReadToEndAsync()); }
            catch (JsonException) { return Error(400, "InvalidParameter", "The request body is not valid JSON."); }
            if (string.IsNullOrEmpty(body?["model"]?.GetValue<string>()) || string.IsNullOrEmpty(body?["prompt"]?.GetValue<string>()))
                return Error(400, "InvalidParameter", "model and prompt are required");
            var max = body?["sequential_image_generation_options"]?["max_images"]?.GetValue<int>() ?? 1;
            var count = body?["sequential_image_generation"]?.GetValue<string>() == "auto" ? max : 1;
            var inputs = body?["image"] switch { JsonArray a => a.Count, JsonValue => 1, _ => 0 };
            return Results.Json(new
            {
                model = body!["model"]!.GetValue<string>(),
                created = 1757321139,
                data = Enumerable.Range(1, count).Select(i => new { url = $"https://ark-cdn.example.com/seedream-{i}.jpeg", size = "2048x2048" }),
                usage = new { generated_images = count, input_images = inputs, output_tokens = 16384 * count, total_tokens = 16384 * count },
            });
        });
    }

    private IResult? Unauthorized(HttpContext ctx) =>
        ctx.Request.Headers.Authorization.ToString() == $"Bearer {apiKey}"
            ? null
            : Error(401, "AuthenticationError", "The API key in the request is missing or invalid.");

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new { error = new { code, message = message + " Request ID: 0217fake", param = "", type = code } }, statusCode: status);
}
