using FluentValidation;

namespace Ihui.Features.Accounts.RedeemCode;

public sealed class RedeemCodeValidator : AbstractValidator<RedeemCodeRequest>
{
    public RedeemCodeValidator()
    {
        RuleFor(r => r.TokenId).NotEmpty().MaximumLength(64);
        RuleFor(r => r.UserAcademy).MaximumLength(128);
    }
}
