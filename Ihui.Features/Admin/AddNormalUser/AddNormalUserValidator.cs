using FluentValidation;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Validation;

namespace Ihui.Features.Admin.AddNormalUser;

public sealed class AddNormalUserValidator : AbstractValidator<AddNormalUserRequest>
{
    public AddNormalUserValidator()
    {
        RuleFor(r => r.Username).MustBeAccountName();
        RuleFor(r => r.Password).MustBeStrongPassword();
        RuleFor(r => r.Email).MustBeEmail().When(r => !string.IsNullOrEmpty(r.Email));
        RuleFor(r => r.Tokens).InclusiveBetween(0, AdminLimits.MaxTokens);
        RuleFor(r => r.PicTimes).InclusiveBetween(0, AdminLimits.MaxPicTimes).OverridePropertyName("pictimes");
        RuleFor(r => r.Academy).MaximumLength(128);
    }
}
