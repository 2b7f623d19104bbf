using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Errors;

namespace Ihui.Features.Common.Vendors.IFlytek;

public sealed record SparkMessage(string Role, string Content);

/// <summary>One Spark chat turn: the dialog and the optional sampling parameters (null = the vendor's default).</summary>
public sealed record SparkChatCall(IReadOnlyList<SparkMessage> Messages, int MaxTokens, double? Temperature = null, int? TopK = null, string? Uid = null);

/// <summary>
/// A server frame as Spark sent it (<see cref="Raw"/>, for passing through) with what the gateway reads from it:
/// the status (0 first, 1 middle, 2 last), the text delta and, on the last frame, the usage.
/// </summary>
public sealed record SparkFrame(JsonElement Raw, int Status, string Delta, Usage? Usage);

public sealed record SparkAnswer(string Content, Usage Usage);

/// <summary>Spark chat over its WebSocket (vendor-protocols.md §9): one request frame, then frames until status 2.</summary>
public sealed class SparkChatClient(IFlytekOptions options, VendorStreamSettings streams, TimeProvider clock)
{
    public string Domain => options.SparkDomain;

    public async IAsyncEnumerable<SparkFrame> StreamAsync(SparkChatCall call, [EnumeratorCancellation] CancellationToken ct)
    {
        var credentials = options.RequireCredentials();
        var url = IFlytekSigner.Sign(options.SparkUrl, "GET", credentials.ApiKey, credentials.ApiSecret, clock.GetUtcNow());
        await using var socket = await IFlytekSocket.ConnectAsync(url, options.Timeout, ct);
        await socket.SendAsync(RequestFrame(credentials.AppId, call), ct);
        // The first frame within the vendor's timeout; after that, a gap longer than the stream idle limit is a timeout.
        var wait = options.Timeout;
        while (true)
        {
            using var doc = await socket.ReceiveAsync(wait, ct)
                            ?? throw ApiException.VendorError(IFlytekOptions.Vendor, "stream was cut before the last frame");
            wait = streams.IdleTimeout;
            var frame = Parse(doc.RootElement);
            yield return frame;
            if (frame.Status == 2) yield break;
        }
    }

    public async Task<SparkAnswer> CompleteAsync(SparkChatCall call, CancellationToken ct)
    {
        var content = new StringBuilder();
        Usage? usage = null;
        await foreach (var frame in StreamAsync(call, ct))
        {
            content.Append(frame.Delta);
            usage = frame.Usage ?? usage;
        }
        var text = content.ToString();
        return new SparkAnswer(text, usage ?? new Usage(
            call.Messages.Sum(m => Usage.TokensForText(m.Content)), Usage.TokensForText(text), Estimated: true));
    }

    private object RequestFrame(string appId, SparkChatCall call) => new
    {
        header = new { app_id = appId, uid = call.Uid },
        parameter = new
        {
            chat = new { domain = options.SparkDomain, temperature = call.Temperature, top_k = call.TopK, max_tokens = call.MaxTokens },
        },
        payload = new { message = new { text = call.Messages.Select(m => new { role = m.Role, content = m.Content }) } },
    };

    /// <summary>Reads one server frame; <c>header.code</c> ≠ 0 is the vendor's error, a frame without a header is garbage.</summary>
    public static SparkFrame Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("header", out var header) || header.ValueKind != JsonValueKind.Object
            || !header.TryGetProperty("code", out var codeElement) || !codeElement.TryGetInt32(out var code))
            throw ApiException.VendorError(IFlytekOptions.Vendor, "malformed frame");
        if (code != 0)
            throw IFlytekErrors.Map(code, header.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null);
        var status = header.TryGetProperty("status", out var s) && s.TryGetInt32(out var st) ? st : 0;

        var delta = new StringBuilder();
        Usage? usage = null;
        if (root.TryGetProperty("payload", out var payload) && payload.ValueKind == JsonValueKind.Object)
        {
            if (payload.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Object
                && choices.TryGetProperty("text", out var texts) && texts.ValueKind == JsonValueKind.Array)
                foreach (var t in texts.EnumerateArray())
                    if (t.ValueKind == JsonValueKind.Object && t.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String)
                        delta.Append(c.GetString());
            if (payload.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object
                && u.TryGetProperty("text", out var ut) && ut.ValueKind == JsonValueKind.Object)
                usage = new Usage(Long(ut, "prompt_tokens"), Long(ut, "completion_tokens"));
        }
        return new SparkFrame(root.Clone(), status, delta.ToString(), usage);
    }

    private static long Long(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? n : 0;
}
