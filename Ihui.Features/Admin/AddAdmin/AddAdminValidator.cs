using FluentValidation;
using Ihui.Features.Common.Validation;

namespace Ihui.Features.Admin.AddAdmin;

public sealed class AddAdminValidator : AbstractValidator<AddAdminRequest>
{
    public AddAdminValidator()
    {
        RuleFor(r => r.Admin).MustBeAccountName();
        RuleFor(r => r.Password).MustBeStrongPassword();
    }
}
