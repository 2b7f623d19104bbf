using FluentValidation;

namespace Ihui.Features.Admin.ControlToken;

public sealed class ControlTokenValidator : AbstractValidator<ControlTokenRequest>
{
    public ControlTokenValidator()
    {
        RuleFor(r => r.TokenName).NotEmpty().MaximumLength(128);
        RuleFor(r => r.IsAvailable).NotNull().Must(v => v is 0 or 1).WithMessage("must be 0 or 1");
    }
}
