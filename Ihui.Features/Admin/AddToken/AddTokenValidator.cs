using FluentValidation;
using Ihui.Features.Common.Admin;

namespace Ihui.Features.Admin.AddToken;

public sealed class AddTokenValidator : AbstractValidator<AddTokenRequest>
{
    public AddTokenValidator()
    {
        RuleFor(r => r.TokenName).NotEmpty().MaximumLength(128);
        RuleFor(r => r.TokenLimit).NotNull().InclusiveBetween(1, AdminLimits.MaxTokens);
        RuleFor(r => r.TokenRange).NotEmpty().MaximumLength(128);
    }
}
