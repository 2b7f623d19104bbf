using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.Luyala.LuyalaChatCompletions;

/// <summary>Seed 000 HTTP #14, Luyala对话补全: one prompt → one completion from Luyala's OpenAI-compatible chat.</summary>
public sealed record LuyalaChatCompletionsRequest : IRequest<LuyalaChatCompletionsResult>, ILoggedCall, IUserUuidRequest, IBillable
{
    /// <summary>The price row; the upstream model is configuration (<c>LUYALA_CHAT_MODEL</c>) and may change without repricing.</summary>
    public const string PriceModelName = "luyala-chat";

    /// <summary>The completion is capped so the hold bounds the cost.</summary>
    public const int MaxOutputTokens = 2048;

    public static string Route => "/cozeZhsApi/luyala/chat/completions";

    public string? Prompt { get; init; }
    public string? UserUuid { get; init; }
    public string? ChatId { get; init; }

    string IBillable.PriceModel => PriceModelName;

    public Usage EstimateUsage() => new(Usage.TokensForText(Prompt), MaxOutputTokens);
}

public sealed record LuyalaChatCompletionsResult(string Completion, Usage Usage) : IBilled
{
    public Receipt? Receipt { get; set; }
}
