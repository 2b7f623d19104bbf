using FluentValidation;

namespace Ihui.Features.Admin.DeleteAdmin;

public sealed class DeleteAdminValidator : AbstractValidator<DeleteAdminRequest>
{
    public DeleteAdminValidator() => RuleFor(r => r.TargetAdmin).NotEmpty().MaximumLength(64);
}
