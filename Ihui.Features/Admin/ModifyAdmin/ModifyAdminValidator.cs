using FluentValidation;
using Ihui.Features.Common.Validation;

namespace Ihui.Features.Admin.ModifyAdmin;

public sealed class ModifyAdminValidator : AbstractValidator<ModifyAdminRequest>
{
    public ModifyAdminValidator()
    {
        RuleFor(r => r.TargetAdmin).NotEmpty().MaximumLength(64);
        RuleFor(r => r.NewName).MustBeAccountName().When(r => r.NewName is not null);
        RuleFor(r => r.NewPassword).MustBeStrongPassword().When(r => r.NewPassword is not null);
        RuleFor(r => r).Must(r => r.NewName is not null || r.NewPassword is not null)
            .WithName("new_name").WithMessage("give new_name, new_password or both");
    }
}
