using Ihui.Features.Common.Limits;
using Ihui.Features.Common.ChatCompletions;
using Mediator;

namespace Ihui.Features.Story.ImageToText;

/// <summary>
/// Seed 003 "图生文对话": <c>POST /ai/i2t/chat/completions {"model_id", "messages"}</c> with OpenAI multimodal parts
/// (<c>text</c>, <c>image_url</c>), answered as one OpenAI chat completion; the model must be an <c>i2t</c> model of the registry.
/// Billed and logged like <c>/llm/chat/completions</c> (the same request contract and adapter).
/// </summary>
public sealed record ImageToTextRequest(ChatCompletionsBody Body, string? ApiKey, int DefaultMaxOutputTokens)
    : IRequest<ChatCompletionsResult>, IChatCompletionsMessage, IUserRateLimited
{
    public static string Route => "/api/v1/ai/i2t/chat/completions";
}
