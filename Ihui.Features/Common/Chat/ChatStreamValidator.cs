using FluentValidation;

namespace Ihui.Features.Common.Chat;

/// <summary>The rules every chat-stream slice applies; a slice's validator is this base closed over its request.</summary>
public abstract class ChatStreamValidator<T> : AbstractValidator<T> where T : ChatStreamRequest
{
    public const int MaxPromptChars = 20_000;
    public const int MaxChatIdChars = 128;

    protected ChatStreamValidator()
    {
        RuleFor(r => r.Prompt).NotEmpty().MaximumLength(MaxPromptChars);
        RuleFor(r => r.ChatId).MaximumLength(MaxChatIdChars);
    }
}
