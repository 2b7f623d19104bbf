using FluentValidation;

namespace Ihui.Features.Admin.DeleteToken;

public sealed class DeleteTokenValidator : AbstractValidator<DeleteTokenRequest>
{
    public DeleteTokenValidator() => RuleFor(r => r.TargetToken).NotEmpty().MaximumLength(128);
}
