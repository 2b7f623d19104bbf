using FluentValidation;
using Ihui.Features.Common.Validation;

namespace Ihui.Features.Doubao.DoubaoSeedream;

public sealed class DoubaoSeedreamValidator : AbstractValidator<DoubaoSeedreamRequest>
{
    public DoubaoSeedreamValidator()
    {
        RuleFor(r => r.Prompt).NotEmpty().MaximumLength(2000);
        RuleFor(r => r.Images).Must(i => i is null || i.Count <= DoubaoSeedreamRequest.MaxReferenceImages)
            .WithMessage($"at most {DoubaoSeedreamRequest.MaxReferenceImages} reference images");
        RuleForEach(r => r.Images).MustBeImageUrl().OverridePropertyName("images");
        RuleFor(r => r.Zidingyican).Must(l => l is null || l.Count <= 20).WithMessage("at most 20 parameters");
        RuleForEach(r => r.Zidingyican).MustBeCustomParam(p => SeedreamParams.Convert(p).Error);
    }
}
