using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Ihui.Tests.Fakes;

/// <summary>
/// Kling's video API. Verifies the bearer JWT as Kling does, before anything else: HS256 signature with the secret of the
/// access key in <c>iss</c>, <c>nbf</c> not in the future, <c>exp</c> not past (401 with codes 1001–1004). <c>duration</c>
/// must be a string. A query of a task it never issued is Kling's "resource does not exist" (404, code 1203).
/// </summary>
public sealed class FakeKling(string accessKey, string secretKey) : FakeVendor
{
    public FakeTaskScript Script { get; } = new("submitted", "processing", "succeed");
    public string VideoUrl { get; set; } = "https://cdn.example.com/kling/video.mp4";
    public string VideoDuration { get; set; } = "5.1";
    /// <summary>When set, create answers HTTP 200 with this Kling code.</summary>
    public int? BusinessCode { get; set; }

    public new void Reset()
    {
        base.Reset();
        Script.Reset("submitted", "processing", "succeed");
        BusinessCode = null;
    }

    protected override void Map(WebApplication app)
    {
        app.MapPost("/v1/videos/{kind}", (HttpContext ctx, string kind) =>
        {
            if (Verify(ctx) is { } refused) return refused;
            if (kind is not ("text2video" or "image2video")) return Error(404, 1203, "not found");
            if (Mode == FakeMode.Fail) return Error(FailStatus, 5000, $"fake failure {FailStatus}");
            if (BusinessCode is { } code) return Error(200, code, code == 1303 ? "parallel task over resource pack limit" : "request failed");
            var body = JsonNode.Parse(Current(ctx).Body);
            if (string.IsNullOrEmpty(body?["prompt"]?.GetValue<string>())) return Error(400, 1201, "prompt is required");
            if (body["duration"] is { } d && d.GetValueKind() != JsonValueKind.String) return Error(400, 1201, "duration must be a string");
            return Ok(new JsonObject { ["task_id"] = Script.Issue("kl-" + Guid.NewGuid().ToString("N")[..16]), ["task_status"] = "submitted" });
        });
        app.MapGet("/v1/videos/{kind}/{id}", (HttpContext ctx, string kind, string id) =>
        {
            if (Verify(ctx) is { } refused) return refused;
            if (!Script.Knows(id)) return Error(404, 1203, $"task not found: {id}");
            var status = Script.Next(id);
            var data = new JsonObject { ["task_id"] = id, ["task_status"] = status, ["created_at"] = 1735689600000, ["updated_at"] = 1735689660000 };
            if (status == "failed") data["task_status_msg"] = "content policy: the prompt was refused";
            if (status == "succeed")
                data["task_result"] = new JsonObject { ["videos"] = new JsonArray(new JsonObject { ["id"] = "v1", ["url"] = VideoUrl, ["duration"] = VideoDuration }) };
            return Ok(data);
        });
    }

    private IResult? Verify(HttpContext ctx)
    {
        var auth = ctx.Request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Bearer ", StringComparison.Ordinal)) return Error(401, 1001, "Authorization is empty");
        var parts = auth["Bearer ".Length..].Split('.');
        if (parts.Length != 3) return Error(401, 1002, "Authorization is invalid");
        try
        {
            using var header = JsonDocument.Parse(FromBase64Url(parts[0]));
            using var claims = JsonDocument.Parse(FromBase64Url(parts[1]));
            if (header.RootElement.GetProperty("alg").GetString() != "HS256") return Error(401, 1002, "Authorization is invalid");
            if (claims.RootElement.GetProperty("iss").GetString() != accessKey) return Error(401, 1002, "Authorization is invalid");
            var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
            if (!CryptographicOperations.FixedTimeEquals(expected, FromBase64Url(parts[2]))) return Error(401, 1002, "Authorization is invalid");
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            if (claims.RootElement.GetProperty("nbf").GetInt64() > now) return Error(401, 1003, "Authorization is not active yet");
            if (claims.RootElement.GetProperty("exp").GetInt64() <= now) return Error(401, 1004, "Authorization has expired");
            return null;
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return Error(401, 1002, "Authorization is invalid");
        }
    }

    public static byte[] FromBase64Url(string s)
    {
        var b = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(b.PadRight(b.Length + (4 - b.Length % 4) % 4, '='));
    }

    private static IResult Ok(JsonObject data) =>
        Results.Json(new JsonObject { ["code"] = 0, ["message"] = "SUCCEED", ["request_id"] = "fake-req", ["data"] = data });

    private static IResult Error(int status, int code, string message) =>
        Results.Json(new JsonObject { ["code"] = code, ["message"] = message, ["request_id"] = "fake-req" }, statusCode: status);
}
