using System.Text.Json;
using System.Text.Json.Nodes;
using Carter;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Vendors.IFlytek;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.IFlytek.TextModelStream;

/// <summary>
/// Spark's frames, one JSON object per line (<c>application/x-ndjson</c>), or as SSE <c>data:</c> events when the
/// client accepts <c>text/event-stream</c>. The first chunk is awaited before anything is written, so 400/401/402
/// and vendor failures before the first frame are real statuses. The last frame carries <c>consume_token</c> and
/// <c>tokens</c>; a failure after the first frame ends the stream with a Spark-shaped error frame.
/// </summary>
public sealed class TextModelStreamEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost(TextModelStreamRequest.Route,
                async (TextModelStreamRequest request, IFlytekOptions xfyun, ISender sender, HttpContext http, ILogger<TextModelStreamEndpoint> logger, CancellationToken ct) =>
                {
                    var stream = sender.CreateStream(request with { Domain = xfyun.SparkDomain, MaxTokens = xfyun.SparkMaxTokens }, ct);
                    await using var chunks = stream.GetAsyncEnumerator(ct);
                    if (!await chunks.MoveNextAsync()) throw ApiException.VendorError(IFlytekOptions.Vendor, "empty stream");

                    var sse = http.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase);
                    http.Response.ContentType = sse ? "text/event-stream; charset=utf-8" : "application/x-ndjson; charset=utf-8";
                    http.Response.Headers.CacheControl = "no-cache";
                    var writer = new FrameWriter(http.Response, sse);
                    JsonElement? last = null;
                    try
                    {
                        do
                        {
                            var chunk = chunks.Current;
                            if (chunk.Receipt is { } receipt)
                            {
                                await writer.WriteAsync(WithReceipt(last, receipt), ct);
                                last = null;
                            }
                            else if (chunk.IsLast) last = chunk.Frame; // held until the receipt so it can carry the charge
                            else if (chunk.Frame is { } frame) await writer.WriteAsync(frame, ct);
                        } while (await chunks.MoveNextAsync());
                    }
                    catch (OperationCanceledException) when (ct.IsCancellationRequested)
                    {
                        return Results.Empty;
                    }
                    catch (Exception e)
                    {
                        if (http.RequestAborted.IsCancellationRequested) return Results.Empty;
                        var (status, message) = e is ApiException api ? (api.Status, api.Message) : (500, "internal server error");
                        if (e is not ApiException) logger.LogError(e, "Stream failed after the first frame on {Route}", TextModelStreamRequest.Route);
                        if (last is { } held) await writer.WriteAsync(held, CancellationToken.None);
                        await writer.WriteAsync(ErrorFrame(status, message), CancellationToken.None);
                    }
                    return Results.Empty;
                })
            .WithTags("iFlytek")
            .WithSummary("文本大模型流式接口 (seed 001/002): Spark frames as NDJSON or SSE");

    private static JsonElement WithReceipt(JsonElement? frame, Receipt receipt)
    {
        var node = frame is { } f ? JsonNode.Parse(f.GetRawText())!.AsObject() : ErrorFreeLastFrame();
        node["consume_token"] = receipt.Charged;
        node["tokens"] = receipt.Balance;
        return JsonSerializer.SerializeToElement(node);
    }

    private static JsonObject ErrorFreeLastFrame() => new() { ["header"] = new JsonObject { ["code"] = 0, ["message"] = "Success", ["status"] = 2 } };

    /// <summary>Spark's own error shape: <c>header.code</c> ≠ 0 and status 2 (here the gateway's status code).</summary>
    private static JsonElement ErrorFrame(int code, string message) => JsonSerializer.SerializeToElement(new JsonObject
    {
        ["header"] = new JsonObject { ["code"] = code, ["message"] = message, ["status"] = 2 },
    });

    private sealed class FrameWriter(HttpResponse response, bool sse)
    {
        private static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        public ValueTask<System.IO.Pipelines.FlushResult> WriteAsync(JsonElement frame, CancellationToken ct) =>
            EventStream.WriteAsync(response, sse ? "data: "u8 : default, frame, Options, sse ? "\n\n"u8 : "\n"u8, ct);
    }
}
