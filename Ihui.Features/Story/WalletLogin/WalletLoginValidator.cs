using FluentValidation;
using Ihui.Features.Common.Wallet;

namespace Ihui.Features.Story.WalletLogin;

public sealed class WalletLoginValidator : AbstractValidator<WalletLoginRequest>
{
    public WalletLoginValidator()
    {
        RuleFor(r => r.WalletAddress).NotEmpty().WithMessage("Field required")
            .Must(WalletAddress.IsValid).WithMessage("must be a 0x-prefixed address of 40 hex digits").WithErrorCode("value_error");
        RuleFor(r => r.Signature).NotEmpty().WithMessage("Field required")
            .Must(WalletAddress.IsSignature).WithMessage("must be a 0x-prefixed 65-byte signature (130 hex digits)").WithErrorCode("value_error");
        RuleFor(r => r.Message).MaximumLength(8192);
    }
}
