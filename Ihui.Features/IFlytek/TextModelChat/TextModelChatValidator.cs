using FluentValidation;
using Ihui.Features.Common.Validation;

namespace Ihui.Features.IFlytek.TextModelChat;

public sealed class TextModelChatValidator : AbstractValidator<TextModelChatRequest>
{
    public TextModelChatValidator() => RuleFor(r => r.Dialog).MustBeDialog();
}
