using System.Text.Json.Serialization;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.IFlytek.TextModelChat;

/// <summary>Seed 001/002 <c>POST /textModel/chat</c>: a dialog answered by Spark in one piece.</summary>
public sealed record TextModelChatRequest : IRequest<TextModelChatResult>, ILoggedCall, IUuidUsernameRequest, IBillable
{
    public static string Route => "/textModel/chat";

    public string? Uuid { get; init; }
    public string? Username { get; init; }
    public IReadOnlyList<DialogMessage>? Dialog { get; init; }

    /// <summary>The configured Spark domain (its price row) and answer cap; set by the endpoint, never by the client.</summary>
    [JsonIgnore] public string Domain { get; init; } = "";
    [JsonIgnore] public int MaxTokens { get; init; }

    string IBillable.PriceModel => Domain;

    public Usage EstimateUsage() => new(Dialog?.Sum(m => Usage.TokensForText(m.Content)) ?? 0, MaxTokens);
}

public sealed record TextModelChatResult(string Content, Usage Usage) : IBilled
{
    public Receipt? Receipt { get; set; }
}
