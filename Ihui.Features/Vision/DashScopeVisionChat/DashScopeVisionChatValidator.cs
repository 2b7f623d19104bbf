using FluentValidation;
using Ihui.Features.Common.Validation;

namespace Ihui.Features.Vision.DashScopeVisionChat;

public sealed class DashScopeVisionChatValidator : AbstractValidator<DashScopeVisionChatRequest>
{
    public DashScopeVisionChatValidator()
    {
        RuleFor(r => r.Prompt).NotEmpty().MaximumLength(20_000);
        RuleFor(r => r.ImageUrls).Must(u => u is null || u.Count <= 10).WithMessage("at most 10 images");
        RuleForEach(r => r.ImageUrls).MustBeImageUrl().OverridePropertyName("image_urls");
        RuleFor(r => r.Model).Matches("^(qwen|qvq)[A-Za-z0-9._-]*$").When(r => r.Model is not null)
            .WithMessage("must be a DashScope vision model such as qwen-vl-max");
    }
}
