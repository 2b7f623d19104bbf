using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Ihui.Tests.Fakes;

/// <summary>
/// A Suno gateway (new-api / Suno-API shape): bearer key, checked first; <c>/suno/submit/music</c>, <c>/suno/fetch</c>.
/// A fetch leaves out the ids it never issued, as new-api does (it looks them up in its tasks table): with none known,
/// <c>data</c> is <c>null</c>.
/// </summary>
public sealed class FakeSuno(string apiKey) : FakeVendor
{
    public FakeTaskScript Script { get; } = new("SUBMITTED", "QUEUED", "IN_PROGRESS", "SUCCESS");
    public string AudioUrl { get; set; } = "https://cdn.example.com/suno/clip-1.mp3";

    public new void Reset()
    {
        base.Reset();
        Script.Reset("SUBMITTED", "QUEUED", "IN_PROGRESS", "SUCCESS");
    }

    protected override void Map(WebApplication app)
    {
        app.MapPost("/suno/submit/{action}", (HttpContext ctx, string action) =>
        {
            if (ctx.Request.Headers.Authorization.ToString() != $"Bearer {apiKey}") return Error(401, "invalid token");
            if (Mode == FakeMode.Fail) return Error(FailStatus, $"fake failure {FailStatus}");
            if (action != "music") return Error(400, "unknown action");
            var body = JsonNode.Parse(Current(ctx).Body);
            if (string.IsNullOrEmpty(body?["gpt_description_prompt"]?.GetValue<string>()) && string.IsNullOrEmpty(body?["prompt"]?.GetValue<string>()))
                return Error(400, "prompt is required");
            return Results.Json(new JsonObject { ["code"] = "success", ["message"] = "", ["data"] = Script.Issue("suno-" + Guid.NewGuid().ToString("N")[..12]) });
        });
        app.MapPost("/suno/fetch", (HttpContext ctx) =>
        {
            if (ctx.Request.Headers.Authorization.ToString() != $"Bearer {apiKey}") return Error(401, "invalid token");
            var ids = JsonNode.Parse(Current(ctx).Body)?["ids"]?.AsArray().Select(i => i!.GetValue<string>()).ToList() ?? [];
            var tasks = new JsonArray();
            foreach (var id in ids.Where(Script.Knows))
            {
                var status = Script.Next(id);
                var task = new JsonObject
                {
                    ["task_id"] = id, ["action"] = "MUSIC", ["status"] = status, ["progress"] = status == "IN_PROGRESS" ? "40%" : status == "SUCCESS" ? "100%" : "0%",
                    ["fail_reason"] = status == "FAILURE" ? "prompt rejected" : "", ["submit_time"] = 1735689600,
                };
                if (status == "SUCCESS")
                    task["data"] = new JsonArray(new JsonObject
                    {
                        ["id"] = "clip-1", ["audio_url"] = AudioUrl, ["title"] = "Moon", ["status"] = "complete",
                        ["metadata"] = new JsonObject { ["tags"] = "pop", ["duration"] = 30.5 },
                    });
                tasks.Add(task);
            }
            return Results.Json(new JsonObject { ["code"] = "success", ["message"] = "", ["data"] = tasks.Count == 0 ? null : tasks });
        });
    }

    private static IResult Error(int status, string message) =>
        Results.Json(new JsonObject { ["code"] = "error", ["message"] = message, ["data"] = null }, statusCode: status);
}
