using FluentValidation;

namespace Ihui.Features.Admin.DeleteNormalUser;

public sealed class DeleteNormalUserValidator : AbstractValidator<DeleteNormalUserRequest>
{
    public DeleteNormalUserValidator() => RuleFor(r => r.TargetUsername).NotEmpty().MaximumLength(64);
}
