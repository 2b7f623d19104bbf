using Ihui.Features.Common.ChatCompletions;
using Mediator;

namespace Ihui.Features.OpenAi.ChatCompletions;

/// <summary><c>POST /v1/chat/completions</c> without streaming.</summary>
public sealed record ChatCompletionsRequest(ChatCompletionsBody Body, string? ApiKey, int DefaultMaxOutputTokens)
    : IRequest<ChatCompletionsResult>, IChatCompletionsMessage
{
    public static string Route => "/v1/chat/completions";
}

/// <summary><c>POST /v1/chat/completions</c> with <c>"stream": true</c>.</summary>
public sealed record ChatCompletionsStreamRequest(ChatCompletionsBody Body, string? ApiKey, int DefaultMaxOutputTokens)
    : IStreamRequest<ChatCompletionsChunk>, IChatCompletionsMessage
{
    public static string Route => "/v1/chat/completions";
}
