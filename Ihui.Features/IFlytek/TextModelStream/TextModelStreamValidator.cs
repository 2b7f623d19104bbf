using FluentValidation;
using Ihui.Features.Common.Validation;

namespace Ihui.Features.IFlytek.TextModelStream;

public sealed class TextModelStreamValidator : AbstractValidator<TextModelStreamRequest>
{
    public TextModelStreamValidator() => RuleFor(r => r.Dialog).MustBeDialog();
}
