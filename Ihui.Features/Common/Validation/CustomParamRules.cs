using FluentValidation;
using Ihui.Features.Common.Http;

namespace Ihui.Features.Common.Validation;

/// <summary>Seed 000's <c>zidingyican</c> entries, checked the same way by every slice that takes them.</summary>
public static class CustomParamRules
{
    /// <summary>
    /// Each entry must be an object with a name (a <c>null</c> entry is a field error, not a crash), then pass the
    /// slice's own check, which returns the problem's message or null.
    /// </summary>
    public static IRuleBuilderOptionsConditions<T, CustomParam> MustBeCustomParam<T>(this IRuleBuilder<T, CustomParam> rule,
        Func<CustomParam, string?> problem) =>
        rule.Custom((p, ctx) =>
        {
            if (p is null) ctx.AddFailure("zidingyican", "every parameter must be an object with a name and a value");
            else if (string.IsNullOrWhiteSpace(p.Name)) ctx.AddFailure("zidingyican", "every parameter needs a name");
            else if (problem(p) is { } error) ctx.AddFailure("zidingyican", error);
        });
}
