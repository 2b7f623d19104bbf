using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Ihui.Tests.Fakes;

/// <summary>
/// iFlytek's Spark chat WebSocket (<c>/v3.5/chat</c>), dictation WebSocket (<c>/v2/iat</c>) and OCR HTTP
/// (<c>/v1/private/sf8e6aca1</c>). Every request's URL signature is checked the way iFlytek's gateway does:
/// the HMAC-SHA256 over host, date and request line is recomputed with the secret, the key and host must match,
/// and a date more than 300 s away is refused (401 before the WebSocket handshake).
/// </summary>
public sealed class FakeIFlytek(string appId, string apiKey, string apiSecret) : FakeVendor
{
    public const string SparkPath = "/v3.5/chat";
    public const string IatPath = "/v2/iat";
    public const string OcrPath = "/v1/private/sf8e6aca1";

    /// <summary>The secret this fake checks signatures with (change it to make the gateway's signatures wrong).</summary>
    public string ApiSecret { get; set; } = apiSecret;
    private readonly string _secret = apiSecret;
    public TimeSpan AllowedSkew { get; } = TimeSpan.FromSeconds(300);

    /// <summary>Business code sent in <see cref="FakeMode.Fail"/> (<c>header.code</c> or IAT's <c>code</c>).</summary>
    public int FailCode { get; set; } = 10013;

    /// <summary>Send the first frame, then nothing more (the socket stays open).</summary>
    public bool Stall { get; set; }

    /// <summary>Send the first frame, then a text frame that is not JSON.</summary>
    public bool Garbage { get; set; }

    public string[] SparkReply { get; set; } = ["您好，", "我是讯飞星火", "认知大模型。"];
    public int PromptTokens { get; set; } = 30;
    public int CompletionTokens { get; set; } = 12;
    public string[] OcrLines { get; set; } = ["第一行文字", "Hello OCR"];

    public ConcurrentQueue<JsonNode> SparkFrames { get; } = new();
    public ConcurrentQueue<IatSession> IatSessions { get; } = new();
    public ConcurrentQueue<JsonNode> OcrBodies { get; } = new();
    public ConcurrentQueue<string> Refusals { get; } = new();

    public sealed record IatSession(JsonNode First, IReadOnlyList<int> FrameBytes, byte[] Audio, bool SawLast);

    public void ResetAll()
    {
        Reset();
        ApiSecret = _secret;
        FailCode = 10013;
        Stall = false;
        Garbage = false;
    }

    protected override void Map(WebApplication app)
    {
        app.UseWebSockets();
        app.MapGet(SparkPath, ctx => WithSignature(ctx, "GET", () => SparkAsync(ctx)));
        app.MapGet(IatPath, ctx => WithSignature(ctx, "GET", () => IatAsync(ctx)));
        app.MapPost(OcrPath, ctx => WithSignature(ctx, "POST", () => OcrAsync(ctx)));
    }

    /// <summary>The gateway's check, computed here independently of the code under test.</summary>
    public (bool Ok, string Message) Verify(string method, string path, string actualHost, IQueryCollection query)
    {
        var authorization = query["authorization"].ToString();
        var date = query["date"].ToString();
        var host = query["host"].ToString();
        if (authorization.Length == 0 || host.Length == 0) return (false, "Unauthorized");
        if (!DateTimeOffset.TryParseExact(date, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            || (DateTimeOffset.UtcNow - at).Duration() > AllowedSkew)
            return (false, "HMAC signature cannot be verified, a valid date or x-date header is required for HMAC Authentication");
        if (host != actualHost) return (false, "HMAC signature does not match");
        string origin;
        try { origin = Encoding.UTF8.GetString(Convert.FromBase64String(authorization)); }
        catch (FormatException) { return (false, "HMAC signature cannot be verified"); }
        var fields = origin.Split(", ").Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1].Trim('"'));
        if (fields.GetValueOrDefault("api_key") != apiKey) return (false, "Unauthorized: invalid api_key");
        if (fields.GetValueOrDefault("algorithm") != "hmac-sha256" || fields.GetValueOrDefault("headers") != "host date request-line")
            return (false, "HMAC signature cannot be verified");
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(ApiSecret));
        var expected = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"host: {host}\ndate: {date}\n{method} {path} HTTP/1.1")));
        return fields.GetValueOrDefault("signature") == expected ? (true, "") : (false, "HMAC signature does not match");
    }

    private async Task WithSignature(HttpContext ctx, string method, Func<Task> next)
    {
        var (ok, message) = Verify(method, ctx.Request.Path, ctx.Request.Host.Value ?? "", ctx.Request.Query);
        if (!ok)
        {
            Refusals.Enqueue(message);
            ctx.Response.StatusCode = 401;
            await ctx.Response.WriteAsJsonAsync(new { message });
            return;
        }
        await next();
    }

    private async Task SparkAsync(HttpContext ctx)
    {
        if (!ctx.WebSockets.IsWebSocketRequest) { ctx.Response.StatusCode = 400; return; }
        using var ws = await ctx.WebSockets.AcceptWebSocketAsync();
        var request = await ReceiveAsync(ws, ctx.RequestAborted);
        if (request is null) return;
        SparkFrames.Enqueue(request);
        var sid = "cht000" + Guid.NewGuid().ToString("N")[..12];
        if (request["header"]?["app_id"]?.GetValue<string>() != appId)
        {
            await SendAsync(ws, new { header = new { code = 10313, message = "appid cannot match apikey", sid, status = 2 } });
            await CloseAsync(ws);
            return;
        }
        if (Mode is FakeMode.Fail or FakeMode.Echo)
        {
            var message = Mode == FakeMode.Echo ? $"invalid request for key {Current(ctx).Query} frame {request.ToJsonString()}" : $"fake failure {FailCode}";
            await SendAsync(ws, new { header = new { code = FailCode, message, sid, status = 2 } });
            await CloseAsync(ws);
            return;
        }
        for (var i = 0; i < SparkReply.Length; i++)
        {
            var last = i == SparkReply.Length - 1;
            var status = last ? 2 : i == 0 ? 0 : 1;
            object payload = last
                ? new
                {
                    choices = new { status, seq = i, text = new[] { new { content = SparkReply[i], role = "assistant", index = 0 } } },
                    usage = new { text = new { question_tokens = 4, prompt_tokens = PromptTokens, completion_tokens = CompletionTokens, total_tokens = PromptTokens + CompletionTokens } },
                }
                : new { choices = new { status, seq = i, text = new[] { new { content = SparkReply[i], role = "assistant", index = 0 } } } };
            await SendAsync(ws, new { header = new { code = 0, message = "Success", sid, status }, payload });
            if (i == 0 && Mode == FakeMode.CutStream)
            {
                await Task.Delay(200); // let the first frame arrive before the connection drops
                ws.Abort();
                return;
            }
            if (i == 0 && Garbage)
            {
                await ws.SendAsync("{\"header\": {\"code\": 0, \"status\": 1"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
                await CloseAsync(ws);
                return;
            }
            if (i == 0 && Stall) { await Task.Delay(Timeout.Infinite, ctx.RequestAborted).ContinueWith(_ => { }); return; }
        }
        await CloseAsync(ws);
    }

    private async Task IatAsync(HttpContext ctx)
    {
        if (!ctx.WebSockets.IsWebSocketRequest) { ctx.Response.StatusCode = 400; return; }
        using var ws = await ctx.WebSockets.AcceptWebSocketAsync();
        var sid = "iat000" + Guid.NewGuid().ToString("N")[..12];
        JsonNode? first = null;
        var sizes = new List<int>();
        using var audio = new MemoryStream();
        var sawLast = false;
        while (!sawLast)
        {
            var frame = await ReceiveAsync(ws, ctx.RequestAborted);
            if (frame is null) break;
            first ??= frame;
            var data = frame["data"];
            var status = data?["status"]?.GetValue<int>() ?? -1;
            var bytes = Convert.FromBase64String(data?["audio"]?.GetValue<string>() ?? "");
            if (status != 2) sizes.Add(bytes.Length);
            audio.Write(bytes);
            sawLast = status == 2;
            if (sizes.Count == 1 && status == 0)
            {
                var valid = frame["common"]?["app_id"]?.GetValue<string>() == appId
                            && data?["format"]?.GetValue<string>() == "audio/L16;rate=16000" && data?["encoding"]?.GetValue<string>() == "raw";
                if (!valid || Mode is FakeMode.Fail or FakeMode.Echo)
                {
                    var message = !valid ? "invalid parameter" : Mode == FakeMode.Echo ? $"invalid request for key {Current(ctx).Query} frame {frame.ToJsonString()}" : $"fake failure {FailCode}";
                    await SendAsync(ws, new { code = valid ? FailCode : 10106, message, sid });
                    await CloseAsync(ws);
                    return;
                }
                if (Mode == FakeMode.CutStream) { ws.Abort(); return; }
            }
        }
        IatSessions.Enqueue(new IatSession(first ?? new JsonObject(), sizes, audio.ToArray(), sawLast));
        if (!sawLast) return;
        if (Stall) { await Task.Delay(Timeout.Infinite, ctx.RequestAborted).ContinueWith(_ => { }); return; }

        var wpgs = first?["business"]?["dwa"]?.GetValue<string>() == "wpgs";
        if (wpgs)
        {
            await SendAsync(ws, IatResult(sid, 1, "你", "apd", null, 1));
            await SendAsync(ws, IatResult(sid, 2, "你好", "rpl", [1, 1], 1));
            await SendAsync(ws, IatResult(sid, 3, "世界", "apd", null, 2));
        }
        else
        {
            await SendAsync(ws, IatResult(sid, 1, "你好", null, null, 1));
            await SendAsync(ws, IatResult(sid, 2, "世界", null, null, 2));
        }
        await CloseAsync(ws);
    }

    private static object IatResult(string sid, int sn, string text, string? pgs, int[]? rg, int status) => new
    {
        code = 0,
        message = "success",
        sid,
        data = new
        {
            status,
            result = new JsonObject
            {
                ["sn"] = sn,
                ["ls"] = status == 2,
                ["pgs"] = pgs,
                ["rg"] = rg is null ? null : new JsonArray(rg[0], rg[1]),
                ["ws"] = new JsonArray(text.Select(ch => (JsonNode)new JsonObject
                {
                    ["bg"] = 0,
                    ["cw"] = new JsonArray(new JsonObject { ["w"] = ch.ToString(), ["sc"] = 0 }, new JsonObject { ["w"] = "X", ["sc"] = 0 }),
                }).ToArray()),
            },
        },
    };

    private async Task OcrAsync(HttpContext ctx)
    {
        var body = JsonNode.Parse(Requests.Last(r => r.Path == OcrPath).Body)!;
        OcrBodies.Enqueue(body);
        var sid = "ase000" + Guid.NewGuid().ToString("N")[..12];
        var image = body["payload"]?["sf8e6aca1_data_1"]?["image"]?.GetValue<string>();
        if (body["header"]?["app_id"]?.GetValue<string>() != appId || string.IsNullOrEmpty(image))
        {
            await ctx.Response.WriteAsJsonAsync(new { header = new { code = 10106, message = "invalid parameter", sid } });
            return;
        }
        if (Mode == FakeMode.Fail)
        {
            await ctx.Response.WriteAsJsonAsync(new { header = new { code = FailCode, message = $"fake failure {FailCode}", sid } });
            return;
        }
        if (Mode == FakeMode.CutStream)
        {
            ctx.Abort();
            return;
        }
        var result = new { pages = new[] { new { lines = OcrLines.Select(l => new { words = l.Split(' ').Select((w, i) => new { content = i == 0 ? w : " " + w }) }) } } };
        var text = Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(result));
        await ctx.Response.WriteAsJsonAsync(new
        {
            header = new { code = 0, message = "success", sid },
            payload = new { result = new { compress = "raw", encoding = "utf8", format = "json", text } },
        });
    }

    private static async Task<JsonNode?> ReceiveAsync(WebSocket ws, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var r = await ws.ReceiveAsync(buffer, ct);
                if (r.MessageType == WebSocketMessageType.Close) return null;
                message.Write(buffer, 0, r.Count);
                if (r.EndOfMessage) return JsonNode.Parse(message.ToArray());
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { return null; }
    }

    private static Task SendAsync(WebSocket ws, object frame) =>
        ws.SendAsync(JsonSerializer.SerializeToUtf8Bytes(frame), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task CloseAsync(WebSocket ws)
    {
        try { await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None); }
        catch (WebSocketException) { }
    }
}
