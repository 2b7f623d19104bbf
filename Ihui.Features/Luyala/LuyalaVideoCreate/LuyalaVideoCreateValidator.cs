using FluentValidation;

namespace Ihui.Features.Luyala.LuyalaVideoCreate;

public sealed class LuyalaVideoCreateValidator : AbstractValidator<LuyalaVideoCreateRequest>
{
    public LuyalaVideoCreateValidator()
    {
        RuleFor(r => r.Prompt).NotEmpty().MaximumLength(LuyalaVideoCreateRequest.MaxPromptLength);
        RuleFor(r => r.IdempotencyKey).MaximumLength(128).OverridePropertyName("Idempotency-Key");
    }
}
