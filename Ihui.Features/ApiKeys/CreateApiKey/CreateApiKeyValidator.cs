using FluentValidation;
using Ihui.Features.Common.Limits;

namespace Ihui.Features.ApiKeys.CreateApiKey;

public sealed class CreateApiKeyValidator : AbstractValidator<CreateApiKeyRequest>
{
    public CreateApiKeyValidator(TimeProvider clock)
    {
        RuleFor(r => r.Name).MaximumLength(64);
        RuleFor(r => r.Models).Must(m => m is null || m.Count is > 0 and <= 100).WithMessage("give 1 to 100 model names, or leave it out for any model");
        RuleForEach(r => r.Models).NotEmpty().MaximumLength(128).OverridePropertyName("models");
        RuleFor(r => r.Quota).InclusiveBetween(1, 1_000_000_000_000_000).When(r => r.Quota is not null);
        RuleFor(r => r.RpmLimit).InclusiveBetween(0, LimitOptions.MaxRate).When(r => r.RpmLimit is not null);
        RuleFor(r => r.ConcurrencyLimit).InclusiveBetween(0, LimitOptions.MaxConcurrency).When(r => r.ConcurrencyLimit is not null);
        RuleFor(r => r.ExpiresAt).Must(e => e > clock.GetUtcNow()).When(r => r.ExpiresAt is not null).WithMessage("must be in the future");
    }
}
