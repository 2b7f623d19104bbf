using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Ihui.Tests.Fakes;

/// <summary>
/// Luyala's video endpoints in OpenAI's Videos API shape under <c>/v1</c>: Bearer key check, jobs that move
/// queued → in_progress → completed as they are polled, <c>/videos/{id}/content</c> bytes only with the key and only
/// once completed, OpenAI error bodies. A job's script is read from markers in its prompt: <c>[fail]</c> (ends failed),
/// <c>[garbage]</c> (polls answer broken JSON), <c>[pollfail]</c> (polls answer 500). While <see cref="Hold"/> is set
/// every job stays in progress.
/// </summary>
public sealed class FakeLuyalaVideo(string apiKey) : FakeVendor
{
    public sealed class FakeJob(string id, string model, string prompt, string seconds, string size)
    {
        public string Id => id;
        public string Model => model;
        public string Prompt => prompt;
        public string Seconds => seconds;
        public string Size => size;
        public ConcurrentQueue<DateTime> Polls { get; } = new();
        public volatile bool Completed;
    }

    public ConcurrentDictionary<string, FakeJob> Jobs { get; } = new();
    public int RunningPolls { get; set; } = 2;
    public volatile bool Hold;
    private int _next;

    public int Creates => Received.Count(r => r.Method == "POST" && r.Path == "/v1/videos");

    /// <summary>The MP4 the fake serves for a job: an <c>ftyp</c> box and the job id, so tests can tell videos apart.</summary>
    public static byte[] VideoBytes(string id) =>
        [0, 0, 0, 0x18, .. "ftypmp42"u8.ToArray(), 0, 0, 0, 0, .. "isommp42"u8.ToArray(), .. Encoding.ASCII.GetBytes("mdat:" + id)];

    protected override void Map(WebApplication app)
    {
        app.MapPost("/v1/videos", async (HttpContext ctx) =>
        {
            if (Unauthorized(ctx) is { } denied) return denied;
            if (Mode == FakeMode.Fail) return Error(FailStatus, "server_error", $"fake failure {FailStatus}");
            JsonNode? body;
            try { body = JsonNode.Parse(await new StreamReader(ctx.Request.Body).ReadToEndAsync()); }
            catch (JsonException) { return Error(400, "invalid_json", "We could not parse the JSON body of your request."); }
            var model = Text(body, "model");
            var prompt = Text(body, "prompt");
            var seconds = Text(body, "seconds") ?? "4";
            var size = Text(body, "size") ?? "720x1280";
            if (string.IsNullOrEmpty(model) || string.IsNullOrEmpty(prompt)) return Error(400, "invalid_value", "model and prompt are required.");
            if (seconds is not ("4" or "8" or "12")) return Error(400, "invalid_value", $"Invalid value: '{seconds}'. Supported values are: '4', '8', and '12'.");
            var id = $"video_{Interlocked.Increment(ref _next):D6}fake";
            var job = new FakeJob(id, model, prompt, seconds, size);
            Jobs[id] = job;
            return Results.Json(Describe(job, "queued", 0));
        });

        app.MapGet("/v1/videos/{id}", async (HttpContext ctx, string id) =>
        {
            if (Unauthorized(ctx) is { } denied) return denied;
            if (!Jobs.TryGetValue(id, out var job)) return Error(404, "not_found", $"Video with id '{id}' not found.");
            job.Polls.Enqueue(DateTime.UtcNow);
            if (Mode == FakeMode.Fail || job.Prompt.Contains("[pollfail]")) return Error(FailStatus, "server_error", $"fake failure {FailStatus}");
            if (job.Prompt.Contains("[garbage]"))
            {
                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync("{\"id\": \"video_");
                return Results.Empty;
            }
            var n = job.Polls.Count;
            var status = n == 1 ? "queued"
                : Hold || n <= 1 + RunningPolls ? "in_progress"
                : job.Prompt.Contains("[fail]") ? "failed"
                : "completed";
            job.Completed = status == "completed";
            var progress = status switch { "queued" => 0, "in_progress" => Math.Min(90, 30 * (n - 1)), "completed" => 100, _ => 40 };
            return Results.Json(Describe(job, status, progress));
        });

        app.MapGet("/v1/videos/{id}/content", async (HttpContext ctx, string id) =>
        {
            if (Unauthorized(ctx) is { } denied) return denied;
            if (!Jobs.TryGetValue(id, out var job)) return Error(404, "not_found", $"Video with id '{id}' not found.");
            if (!job.Completed) return Error(400, "video_not_ready", "Video is not ready yet, use GET /v1/videos/{video_id} to check status.");
            ctx.Response.ContentType = "video/mp4";
            var bytes = VideoBytes(id);
            ctx.Response.ContentLength = bytes.Length;
            await ctx.Response.Body.WriteAsync(bytes);
            return Results.Empty;
        });
    }

    private static Dictionary<string, object?> Describe(FakeJob job, string status, int progress) => new()
    {
        ["id"] = job.Id,
        ["object"] = "video",
        ["model"] = job.Model,
        ["status"] = status,
        ["progress"] = progress,
        ["created_at"] = 1758941485,
        ["completed_at"] = status == "completed" ? 1758941585 : null,
        ["seconds"] = job.Seconds,
        ["size"] = job.Size,
        ["error"] = status == "failed" ? new { code = "moderation_blocked", message = "Your request was blocked by our moderation system." } : null,
    };

    private static string? Text(JsonNode? body, string name) =>
        body?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private IResult? Unauthorized(HttpContext ctx) =>
        ctx.Request.Headers.Authorization.ToString() == $"Bearer {apiKey}"
            ? null
            : Error(401, "invalid_api_key", "Incorrect API key provided.");

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new { error = new { message, type = "invalid_request_error", param = (string?)null, code } }, statusCode: status);
}
