using FluentValidation;

namespace Ihui.Features.Luyala.LuyalaChatCompletions;

public sealed class LuyalaChatCompletionsValidator : AbstractValidator<LuyalaChatCompletionsRequest>
{
    public LuyalaChatCompletionsValidator()
    {
        RuleFor(r => r.Prompt).NotEmpty().MaximumLength(20_000);
        RuleFor(r => r.ChatId).MaximumLength(128);
    }
}
