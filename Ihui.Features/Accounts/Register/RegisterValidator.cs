using FluentValidation;
using Ihui.Features.Common.Validation;

namespace Ihui.Features.Accounts.Register;

public sealed class RegisterValidator : AbstractValidator<RegisterRequest>
{
    public RegisterValidator()
    {
        RuleFor(r => r.Username).MustBeAccountName();
        RuleFor(r => r.Password).MustBeStrongPassword();
        RuleFor(r => r.Email).NotEmpty().MustBeEmail();
        RuleFor(r => r.Academy).MaximumLength(128);
    }
}
