using System.Text.Json;
using System.Text.Json.Serialization;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Errors;

namespace Ihui.Features.Chat.Sockets;

/// <summary>
/// A frame the chat-stream sockets send (the same on every chat route; see docs/chat-streams.md):
/// <c>connected</c>, <c>pong</c>, <c>reasoning</c>, <c>delta</c>, <c>done</c> and <c>error</c>.
/// </summary>
public sealed record ServerFrame(string Type)
{
    public string? ClientId { get; init; }
    public string? ChatId { get; init; }
    public string? Content { get; init; }
    public string? Reasoning { get; init; }
    public FrameUsage? Usage { get; init; }
    public long? ConsumeToken { get; init; }
    public long? Balance { get; init; }
    public int? Code { get; init; }
    public string? Msg { get; init; }

    /// <summary>On a 429 from Ihui's request limits: seconds until the turn would be admitted (the HTTP routes' <c>Retry-After</c>).</summary>
    public int? RetryAfter { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static ServerFrame Connected(string clientId) => new("connected") { ClientId = clientId };
    public static readonly ServerFrame Pong = new("pong");
    public static ServerFrame Delta(string? chatId, string content) => new("delta") { ChatId = chatId, Content = content };
    public static ServerFrame ReasoningDelta(string? chatId, string content) => new("reasoning") { ChatId = chatId, Content = content };
    public static ServerFrame Error(int code, string msg, string? chatId = null) => new("error") { Code = code, Msg = msg, ChatId = chatId };

    public static ServerFrame Error(ApiException e, string? chatId) => Error(e.Status, e.Message, chatId) with
    {
        RetryAfter = e.RetryAfter is { } r ? Math.Max(1, (int)Math.Ceiling(r.TotalSeconds)) : null,
    };

    public static ServerFrame Done(string? chatId, string content, string? reasoning, Usage usage, Receipt receipt) => new("done")
    {
        ChatId = chatId,
        Content = content,
        Reasoning = reasoning,
        Usage = new FrameUsage(usage.InputTokens, usage.OutputTokens, usage.Estimated),
        ConsumeToken = receipt.Charged,
        Balance = receipt.Balance,
    };
}

public sealed record FrameUsage(long PromptTokens, long CompletionTokens, bool Estimated);
