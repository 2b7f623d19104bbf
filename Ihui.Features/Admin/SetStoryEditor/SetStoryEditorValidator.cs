using FluentValidation;
using Ihui.Features.Common.Wallet;

namespace Ihui.Features.Admin.SetStoryEditor;

public sealed class SetStoryEditorValidator : AbstractValidator<SetStoryEditorRequest>
{
    public SetStoryEditorValidator()
    {
        RuleFor(r => r.WalletAddress).NotEmpty().Must(WalletAddress.IsValid).WithMessage("must be a 0x-prefixed address of 40 hex digits");
        RuleFor(r => r.IsEditor).NotNull();
    }
}
