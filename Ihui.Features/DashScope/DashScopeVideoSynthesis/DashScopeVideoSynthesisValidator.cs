using FluentValidation;

namespace Ihui.Features.DashScope.DashScopeVideoSynthesis;

public sealed class DashScopeVideoSynthesisValidator : AbstractValidator<DashScopeVideoSynthesisRequest>
{
    public DashScopeVideoSynthesisValidator()
    {
        RuleFor(r => r.Prompt).NotEmpty().MaximumLength(2000);
        RuleFor(r => r.NegativePrompt).MaximumLength(500);
        RuleFor(r => r.Size).Must(s => s is null || DashScopeVideoSynthesisRequest.Sizes.Contains(s))
            .WithMessage($"must be one of {string.Join(", ", DashScopeVideoSynthesisRequest.Sizes)}");
        RuleFor(r => r.Duration).Must(d => d is null || DashScopeVideoSynthesisRequest.Durations.Contains(d.Value))
            .WithMessage("must be 5 or 10 seconds");
    }
}
