using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Pipeline;

namespace Ihui.Features.Common.Chat;

/// <summary>One chat turn as the socket session hands it to a slice: the prompt, the conversation so far and the upstream model.</summary>
public sealed record ChatTurn(string? Prompt, string? ChatId, string? UserUuid, string Model,
    IReadOnlyList<ChatHistoryMessage> History, int MaxOutputTokens);

/// <summary>
/// What the five chat-stream slices' requests share: the caller (<c>user_uuid</c>), the billed model and an
/// estimate covering the prompt, the history sent with it and the capped answer.
/// </summary>
public abstract record ChatStreamRequest(ChatTurn Turn) : IUserUuidRequest, IBillable
{
    public string? Prompt => Turn.Prompt;
    public string? ChatId => Turn.ChatId;
    public string? UserUuid => Turn.UserUuid;
    public string Model => Turn.Model;

    string IBillable.PriceModel => Turn.Model;

    public Usage EstimateUsage() =>
        new(Usage.TokensForText(Prompt) + Turn.History.Sum(m => Usage.TokensForText(m.Content)), Turn.MaxOutputTokens);
}

/// <summary>A piece of a chat turn: answer text, reasoning text, the vendor's usage, or (last) the settled receipt.</summary>
public sealed record ChatStreamChunk(string? Content = null, string? Reasoning = null) : IBilledChunk<ChatStreamChunk>
{
    public Usage? Usage { get; init; }
    public Receipt? Receipt { get; init; }

    public string? DeliveredText => Reasoning is null ? Content : Content is null ? Reasoning : Reasoning + Content;

    public static ChatStreamChunk Settled(Receipt receipt, Usage usage) => new() { Usage = usage, Receipt = receipt };
}
