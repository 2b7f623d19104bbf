using FluentValidation;
using Ihui.Features.Common.Wallet;

namespace Ihui.Features.Story.WalletNonce;

public sealed class WalletNonceValidator : AbstractValidator<WalletNonceRequest>
{
    public WalletNonceValidator() =>
        RuleFor(r => r.WalletAddress).NotEmpty().WithMessage("Field required")
            .Must(WalletAddress.IsValid).WithMessage("must be a 0x-prefixed address of 40 hex digits").WithErrorCode("value_error");
}
