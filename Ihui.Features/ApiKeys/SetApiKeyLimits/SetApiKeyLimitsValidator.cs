using FluentValidation;
using Ihui.Features.Common.Limits;

namespace Ihui.Features.ApiKeys.SetApiKeyLimits;

public sealed class SetApiKeyLimitsValidator : AbstractValidator<SetApiKeyLimitsRequest>
{
    public SetApiKeyLimitsValidator()
    {
        RuleFor(r => r.Id).NotEmpty().MaximumLength(64);
        RuleFor(r => r.RpmLimit).InclusiveBetween(0, LimitOptions.MaxRate).When(r => r.RpmLimit is not null);
        RuleFor(r => r.ConcurrencyLimit).InclusiveBetween(0, LimitOptions.MaxConcurrency).When(r => r.ConcurrencyLimit is not null);
    }
}
