using FluentValidation;

namespace Ihui.Features.Kling.KlingGenerate;

public sealed class KlingGenerateValidator : AbstractValidator<KlingGenerateRequest>
{
    public KlingGenerateValidator()
    {
        RuleFor(r => r.Prompt).NotEmpty().MaximumLength(2500);
        RuleFor(r => r.Duration).Must(d => d is null or 5 or 10).WithMessage("must be 5 or 10 (seconds)");
        RuleFor(r => r.Model).Matches("^kling[a-z0-9._-]{0,40}$").When(r => r.Model is not null).WithMessage("must be a Kling model such as kling-o1");
        RuleFor(r => r.ChatId).MaximumLength(128);
        RuleFor(r => r.IdempotencyKey).MaximumLength(128).OverridePropertyName("Idempotency-Key");
    }
}
