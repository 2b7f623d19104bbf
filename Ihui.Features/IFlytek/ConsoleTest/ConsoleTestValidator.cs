using FluentValidation;
using Ihui.Features.Common.Validation;

namespace Ihui.Features.IFlytek.ConsoleTest;

/// <summary>Spark's ranges: max_tokens 1–8192, top_k 1–6, temperature (0, 1].</summary>
public sealed class ConsoleTestValidator : AbstractValidator<ConsoleTestRequest>
{
    public ConsoleTestValidator()
    {
        RuleFor(r => r.Dialog).MustBeDialog();
        RuleFor(r => r.Limit).InclusiveBetween(1, 8192).When(r => r.Limit is not null);
        RuleFor(r => r.TopK).InclusiveBetween(1, 6).When(r => r.TopK is not null);
        RuleFor(r => r.Temperature).GreaterThan(0).LessThanOrEqualTo(1).When(r => r.Temperature is not null);
    }
}
