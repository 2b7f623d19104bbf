using FluentValidation;
using Ihui.Features.Common.Validation;

namespace Ihui.Features.Doubao.DoubaoImageEdit;

public sealed class DoubaoImageEditValidator : AbstractValidator<DoubaoImageEditRequest>
{
    public DoubaoImageEditValidator()
    {
        RuleFor(r => r.Prompt).NotEmpty().MaximumLength(2000);
        RuleFor(r => r.Image).NotEmpty();
        RuleFor(r => r.Image!).MustBeImageUrl().When(r => !string.IsNullOrEmpty(r.Image));
    }
}
