using FluentValidation;
using Ihui.Features.Common.Validation;

namespace Ihui.Features.Doubao.DoubaoVideoGeneration;

public sealed class DoubaoVideoGenerationValidator : AbstractValidator<DoubaoVideoGenerationRequest>
{
    public DoubaoVideoGenerationValidator()
    {
        RuleFor(r => r.Prompt).NotEmpty().MaximumLength(2000);
        RuleFor(r => r.Images).Must(i => i is null || i.Count <= DoubaoVideoGenerationRequest.MaxImages)
            .WithMessage($"at most {DoubaoVideoGenerationRequest.MaxImages} images (first and last frame)");
        RuleForEach(r => r.Images).MustBeImageUrl().OverridePropertyName("images");
        RuleFor(r => r.Zidingyican).Must(l => l is null || l.Count <= 20).WithMessage("at most 20 parameters");
        RuleForEach(r => r.Zidingyican).MustBeCustomParam(p => SeedanceParams.Convert(p).Error);
        RuleFor(r => r.IdempotencyKey).MaximumLength(128).OverridePropertyName("Idempotency-Key");
    }
}
