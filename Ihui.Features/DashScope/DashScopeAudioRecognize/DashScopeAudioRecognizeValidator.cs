using FluentValidation;
using Ihui.Features.Common.Validation;

namespace Ihui.Features.DashScope.DashScopeAudioRecognize;

public sealed class DashScopeAudioRecognizeValidator : AbstractValidator<DashScopeAudioRecognizeRequest>
{
    public DashScopeAudioRecognizeValidator()
    {
        RuleFor(r => r.AudioUrl).NotEmpty().MustBeHttpUrl();
        RuleFor(r => r.Model).Must(m => m is null || m == DashScopeAudioRecognizeRequest.DefaultModel)
            .WithMessage($"unknown model: use {DashScopeAudioRecognizeRequest.DefaultModel}");
        RuleFor(r => r.Language).Must(l => l is null || DashScopeAudioRecognizeRequest.Languages.Contains(l))
            .WithMessage($"must be one of {string.Join(", ", DashScopeAudioRecognizeRequest.Languages)} (or left out to detect)");
        RuleFor(r => r.SystemPrompt).MaximumLength(10_000);
    }
}
