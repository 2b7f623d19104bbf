using FluentValidation;

namespace Ihui.Features.DashScope.DashScopeTextToImage;

public sealed class DashScopeTextToImageValidator : AbstractValidator<DashScopeTextToImageRequest>
{
    public DashScopeTextToImageValidator()
    {
        RuleFor(r => r.RouteModel).Must(m => m is not null && DashScopeTextToImageRequest.Sizes.ContainsKey(m))
            .OverridePropertyName("model")
            .WithMessage("unknown model: use qwen-image-plus, qwen-image or wan2.5-t2i-preview");
        RuleFor(r => r.Model).Must((r, m) => m is null || m == r.RouteModel).WithMessage("must match the model in the path (or be left out)");
        RuleFor(r => r.Prompt).NotEmpty().MaximumLength(800);
        RuleFor(r => r.NegativePrompt).MaximumLength(500);
        When(r => r.RouteModel is not null && DashScopeTextToImageRequest.Sizes.ContainsKey(r.RouteModel), () =>
        {
            RuleFor(r => r.EffectiveSize).Must((r, s) => DashScopeTextToImageRequest.Sizes[r.EffectiveModel].Contains(s))
                .OverridePropertyName("size")
                .WithMessage(r => $"{r.EffectiveModel} accepts sizes {string.Join(", ", DashScopeTextToImageRequest.Sizes[r.EffectiveModel])}");
            RuleFor(r => r.Count).Must((r, n) => n >= 1 && n <= DashScopeTextToImageRequest.MaxImages[r.EffectiveModel])
                .OverridePropertyName("n")
                .WithMessage(r => $"{r.EffectiveModel} makes 1 to {DashScopeTextToImageRequest.MaxImages[r.EffectiveModel]} images per call");
        });
        RuleFor(r => r.Seed).InclusiveBetween(0, int.MaxValue).When(r => r.Seed is not null);
        RuleFor(r => r.IdempotencyKey).MaximumLength(128).OverridePropertyName("Idempotency-Key");
    }
}
