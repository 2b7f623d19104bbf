using System.Text.Json.Serialization;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Common.Vendors.OpenAiCompatible;
using Ihui.Features.Common.Wallet;
using Ihui.Features.Common.ChatCompletions;
using Mediator;

namespace Ihui.Features.Story.PromptedImages;

/// <summary>
/// Seed 003 "生成角色头像": <c>POST /character-avatar/generate</c>. <c>llm_id_for_prompt</c> writes an image prompt from the
/// <c>t2i_character</c> template, then <c>llm_id_for_t2i</c> draws it; the image is kept in Ihui's store.
/// </summary>
public sealed record GenerateAvatarRequest : IRequest<GeneratedAvatar>, IWalletRequest
{
    public const string Route = "/api/v1/character-avatar/generate";

    [JsonIgnore] public string? AccessToken { get; init; }
    [JsonIgnore] public Uri? Origin { get; init; }
    public string? LlmIdForPrompt { get; init; }
    public string? LlmIdForT2i { get; init; }
    public string? ArtStyleKeyword { get; init; }
    public string? CharacterDescription { get; init; }
    public string? Personality { get; init; }
    public string? ReferenceImageDescription { get; init; }
    /// <summary>Not in the seed: one of the t2i sizes (default <c>1024*1024</c>).</summary>
    public string? Size { get; init; }
}

/// <summary><c>icon_url</c> is the same image (Ihui does not resize); <c>generation_id</c> is the two calls' <c>chat_id</c> in the call log.</summary>
public sealed record GeneratedAvatar(string ImagePrompt, string ImageUrl, string IconUrl, string GenerationId);

/// <summary>
/// Seed 003 "生成故事背景": <c>POST /llm/generate/story-background-image {"style_keyword", "background_description"}</c>, the
/// same two steps with the <c>t2i_story_background</c> template. The models are optional here (not in the seed).
/// </summary>
public sealed record GenerateBackgroundRequest : IRequest<GeneratedBackground>, IWalletRequest
{
    public const string Route = "/api/v1/llm/generate/story-background-image";

    [JsonIgnore] public string? AccessToken { get; init; }
    [JsonIgnore] public Uri? Origin { get; init; }
    public string? StyleKeyword { get; init; }
    public string? BackgroundDescription { get; init; }
    public string? LlmIdForPrompt { get; init; }
    public string? LlmIdForT2i { get; init; }
    /// <summary>Default <c>720*1280</c> (a phone's chat screen).</summary>
    public string? Size { get; init; }
}

public sealed record GeneratedBackground(string ImagePrompt, string ImageUrl, string GenerationId);

// The two vendor calls of each route: each billed and logged on its own, linked by chat_id.

public sealed record AvatarPromptRequest(ChatCompletionsBody Body, string? ApiKey, int DefaultMaxOutputTokens, string GenerationId)
    : IRequest<ChatCompletionsResult>, IChatCompletionsMessage
{
    public static string Route => GenerateAvatarRequest.Route;
    public string? ChatId => GenerationId;
}

public sealed record BackgroundPromptRequest(ChatCompletionsBody Body, string? ApiKey, int DefaultMaxOutputTokens, string GenerationId)
    : IRequest<ChatCompletionsResult>, IChatCompletionsMessage
{
    public static string Route => GenerateBackgroundRequest.Route;
    public string? ChatId => GenerationId;
}

/// <summary>One image drawn and stored, billed per image at the t2i model's price (held before, refunded on failure).</summary>
public interface IDrawImageMessage : ILoggedCall, IAuthenticatedRequest, IBillable
{
    string PriceName { get; }
    ImageJob Job { get; }
    string? ApiKey { get; }
    string GenerationId { get; }

    Credential IAuthenticatedRequest.Credential => new(CredentialKind.ApiKey, ApiKey);
    string IBillable.PriceModel => PriceName;
    Usage IBillable.EstimateUsage() => new(0, 0, Images: Job.Count);
}

public sealed record AvatarDrawRequest(string PriceName, ImageJob Job, string? ApiKey, string GenerationId) : IRequest<DrawnImages>, IDrawImageMessage
{
    public static string Route => GenerateAvatarRequest.Route;
    public string? ChatId => GenerationId;
}

public sealed record BackgroundDrawRequest(string PriceName, ImageJob Job, string? ApiKey, string GenerationId) : IRequest<DrawnImages>, IDrawImageMessage
{
    public static string Route => GenerateBackgroundRequest.Route;
    public string? ChatId => GenerationId;
}

public sealed record DrawnImages(IReadOnlyList<string> Urls, Usage Usage) : IBilled
{
    public Receipt? Receipt { get; set; }
}
