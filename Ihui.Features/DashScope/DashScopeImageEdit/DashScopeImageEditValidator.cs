using FluentValidation;
using Ihui.Features.Common.Validation;

namespace Ihui.Features.DashScope.DashScopeImageEdit;

public sealed class DashScopeImageEditValidator : AbstractValidator<DashScopeImageEditRequest>
{
    public DashScopeImageEditValidator()
    {
        RuleFor(r => r.Prompt).NotEmpty().MaximumLength(800);
        RuleFor(r => r.ImageUrl).NotEmpty();
        RuleFor(r => r.ImageUrl!).MustBeImageUrl().When(r => !string.IsNullOrEmpty(r.ImageUrl));
        RuleFor(r => r.Model).Must(m => m is null || DashScopeImageEditRequest.Models.Contains(m))
            .WithMessage($"unknown model: use {string.Join(" or ", DashScopeImageEditRequest.Models)}");
        RuleFor(r => r.NegativePrompt).MaximumLength(500);
    }
}
