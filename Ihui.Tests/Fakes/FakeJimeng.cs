using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ihui.Features.Common.Vendors.Volcengine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Ihui.Tests.Fakes;

/// <summary>
/// Volcengine's visual API (<c>POST /?Action=CVSync2AsyncSubmitTask|CVSync2AsyncGetResult&amp;Version=2022-08-31</c>).
/// Like the vendor's gateway it recomputes the V4 signature from the request it received (host, query, body,
/// <c>X-Date</c>) and refuses a wrong key, a wrong signature, a body that does not match <c>X-Content-Sha256</c> or
/// an <c>X-Date</c> more than 15 minutes off, with <c>ResponseMetadata.Error</c>; business results use <c>code</c>. A result
/// query of a task it never issued is <c>code 10000</c> with <c>data.status</c> <c>not_found</c>, as Volcengine documents.
/// </summary>
public sealed class FakeJimeng(string accessKey, string secretKey) : FakeVendor
{
    public static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);
    public FakeTaskScript Script { get; } = new("in_queue", "generating", "done");
    public string VideoUrl { get; set; } = "https://cdn.example.com/jimeng/video.mp4";
    public string ImageUrlPrefix { get; set; } = "https://cdn.example.com/jimeng/image-";
    private int _images;
    /// <summary>When set, submit answers HTTP 200 with this business code instead of 10000.</summary>
    public int? BusinessCode { get; set; }

    public new void Reset()
    {
        base.Reset();
        Script.Reset("in_queue", "generating", "done");
        BusinessCode = null;
    }

    protected override void Map(WebApplication app) => app.MapPost("/", (HttpContext ctx) =>
    {
        var action = ctx.Request.Query["Action"].ToString();
        if (ctx.Request.Query["Version"] != "2022-08-31" || action is not ("CVSync2AsyncSubmitTask" or "CVSync2AsyncGetResult" or "CVProcess"))
            return GatewayError(404, action, "InvalidActionOrVersion", "Could not find operation");
        if (CheckSignature(ctx, action) is { } refused) return refused;
        if (Mode == FakeMode.Fail) return GatewayError(FailStatus, action, "InternalError", $"fake failure {FailStatus}");

        var body = JsonNode.Parse(Current(ctx).Body);
        var reqKey = body?["req_key"]?.GetValue<string>();
        if (string.IsNullOrEmpty(reqKey)) return Business(50400, "Invalid Parameter: req_key");
        if (action == "CVProcess")
        {
            if (BusinessCode is { } code) return Business(code, code == 50429 ? "Request Has Reached API Limit" : "Risk Not Pass");
            if (string.IsNullOrEmpty(body?["prompt"]?.GetValue<string>())) return Business(50400, "Invalid Parameter: prompt");
            if (body?["return_url"]?.GetValue<bool>() != true) return Business(10000, "Success", new JsonObject { ["binary_data_base64"] = new JsonArray("aGVsbG8=") });
            var n = Interlocked.Increment(ref _images);
            return Business(10000, "Success", new JsonObject
            {
                ["image_urls"] = new JsonArray($"{ImageUrlPrefix}{n}.png"), ["binary_data_base64"] = new JsonArray(), ["algorithm_base_resp"] = new JsonObject { ["status_code"] = 0 },
            });
        }
        if (action == "CVSync2AsyncSubmitTask")
        {
            if (BusinessCode is { } code) return Business(code, code == 50429 ? "Request Has Reached API Limit" : "Risk Not Pass");
            if (string.IsNullOrEmpty(body?["prompt"]?.GetValue<string>())) return Business(50400, "Invalid Parameter: prompt");
            return Business(10000, "Success", new JsonObject { ["task_id"] = Script.Issue("70000000000" + Random.Shared.Next(1_000_000, 9_999_999)) });
        }
        var taskId = body?["task_id"]?.GetValue<string>() ?? "";
        var status = Script.Knows(taskId) ? Script.Next(taskId) : "not_found";
        var data = new JsonObject { ["status"] = status, ["video_url"] = status == "done" ? VideoUrl : "", ["resp_data"] = "" };
        return Business(10000, "Success", data);
    });

    private IResult? CheckSignature(HttpContext ctx, string action)
    {
        var auth = ctx.Request.Headers.Authorization.ToString();
        var xDate = ctx.Request.Headers["X-Date"].ToString();
        var sha = ctx.Request.Headers["X-Content-Sha256"].ToString();
        if (auth.Length == 0 || xDate.Length == 0) return GatewayError(401, action, "MissingAuthenticationToken", "Missing Authorization or X-Date");
        if (!DateTimeOffset.TryParseExact(xDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
            return GatewayError(401, action, "InvalidTimestamp", "X-Date is not yyyyMMddTHHmmssZ");
        if ((DateTimeOffset.UtcNow - date).Duration() > AllowedSkew)
            return GatewayError(401, action, "InvalidTimestamp", "The request has expired: X-Date is too far from the server time");
        if (!auth.StartsWith($"HMAC-SHA256 Credential={accessKey}/", StringComparison.Ordinal))
            return GatewayError(401, action, "InvalidAccessKey", "The AccessKey is invalid");
        var body = Encoding.UTF8.GetBytes(Current(ctx).Body);
        if (sha != Convert.ToHexStringLower(SHA256.HashData(body)))
            return GatewayError(401, action, "InvalidContentSha256", "X-Content-Sha256 does not match the body");
        var expected = VolcengineSigner.Sign(accessKey, secretKey, "cn-north-1", "cv", ctx.Request.Method, ctx.Request.Host.Value!,
            ctx.Request.Path.Value!, ctx.Request.QueryString.Value ?? "", body, date);
        return expected.Authorization == auth ? null
            : GatewayError(401, action, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
    }

    private static IResult GatewayError(int status, string action, string code, string message) => Results.Json(new
    {
        ResponseMetadata = new
        {
            RequestId = "fake-" + Guid.NewGuid().ToString("N")[..12], Action = action, Version = "2022-08-31", Service = "cv", Region = "cn-north-1",
            Error = new { CodeN = 100000 + status, Code = code, Message = message },
        },
    }, statusCode: status);

    private static IResult Business(int code, string message, JsonObject? data = null) => Results.Json(new JsonObject
    {
        ["code"] = code, ["status"] = code, ["message"] = message, ["request_id"] = "fake-req", ["time_elapsed"] = "12ms", ["data"] = data,
    });
}
