using FluentValidation;

namespace Ihui.Features.Admin.ModifyToken;

public sealed class ModifyTokenValidator : AbstractValidator<ModifyTokenRequest>
{
    public ModifyTokenValidator()
    {
        RuleFor(r => r.TargetToken).NotEmpty().MaximumLength(128);
        RuleFor(r => r.NewTokenLimit).NotNull()
            .Must(n => n is null || n.NewTokenRange is not null || n.NewTokenIsAvailable is not null)
            .WithMessage("give new_token_range and/or new_token_is_available");
        RuleFor(r => r.NewTokenLimit!.NewTokenRange).NotEmpty().MaximumLength(128)
            .When(r => r.NewTokenLimit?.NewTokenRange is not null);
        RuleFor(r => r.NewTokenLimit!.NewTokenIsAvailable).Must(v => v is null or 0 or 1).WithMessage("must be 0 or 1")
            .When(r => r.NewTokenLimit is not null);
    }
}
