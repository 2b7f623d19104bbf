using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.Gemini.GeminiGenerate;

/// <summary>Seed 000 HTTP #22, Gemini生成: one prompt, one generated text.</summary>
public sealed record GeminiGenerateRequest : IRequest<GeminiGenerateResult>, ILoggedCall, IUserUuidRequest, IBillable
{
    public const string DefaultModel = "gemini-3";
    public const int DefaultMaxTokens = 1000;

    public static string Route => "/gemini/3/generate";

    public string? Prompt { get; init; }
    public string? Model { get; init; }
    public double? Temperature { get; init; }
    public int? MaxTokens { get; init; }
    public string? UserUuid { get; init; }
    public string? ChatId { get; init; }

    public string EffectiveModel => string.IsNullOrWhiteSpace(Model) ? DefaultModel : Model;
    public int EffectiveMaxTokens => MaxTokens ?? DefaultMaxTokens;
    string IBillable.PriceModel => EffectiveModel;

    public Usage EstimateUsage() => new(Usage.TokensForText(Prompt), EffectiveMaxTokens);
}

public sealed record GeminiGenerateResult(string Content, Usage Usage) : IBilled
{
    public Receipt? Receipt { get; set; }
}
