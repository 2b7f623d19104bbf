using FluentValidation;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Validation;

namespace Ihui.Features.Admin.ModifyNormalUser;

public sealed class ModifyNormalUserValidator : AbstractValidator<ModifyNormalUserRequest>
{
    public ModifyNormalUserValidator()
    {
        RuleFor(r => r.TargetUser).NotEmpty().MaximumLength(64);
        RuleFor(r => r.NewUserInfo).NotNull().Must(i => i is null || !i.IsEmpty).WithMessage("must name at least one field to change");
        When(r => r.NewUserInfo is not null, () =>
        {
            RuleFor(r => r.NewUserInfo!.NewUsername).MustBeAccountName().When(r => r.NewUserInfo!.NewUsername is not null);
            RuleFor(r => r.NewUserInfo!.NewPassword).MustBeStrongPassword().When(r => r.NewUserInfo!.NewPassword is not null);
            RuleFor(r => r.NewUserInfo!.NewEmail).MustBeEmail().When(r => !string.IsNullOrEmpty(r.NewUserInfo!.NewEmail))
                .OverridePropertyName("new_user_info.new_email");
            RuleFor(r => r.NewUserInfo!.NewTokens).InclusiveBetween(0, AdminLimits.MaxTokens)
                .OverridePropertyName("new_user_info.new_tokens");
            RuleFor(r => r.NewUserInfo!.NewPicTimes).InclusiveBetween(0, AdminLimits.MaxPicTimes)
                .OverridePropertyName("new_user_info.new_pictimes");
            RuleFor(r => r.NewUserInfo!.NewAcademy).MaximumLength(128).OverridePropertyName("new_user_info.new_academy");
        });
    }
}
