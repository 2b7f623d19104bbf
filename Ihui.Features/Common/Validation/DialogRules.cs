using FluentValidation;
using Ihui.Features.Common.Http;

namespace Ihui.Features.Common.Validation;

/// <summary>Seed 001/002's <c>dialog</c>: system/user/assistant turns.</summary>
public static class DialogRules
{
    public const int MaxTurns = 200;
    public const int MaxChars = 100_000;
    private static readonly string[] Roles = ["system", "user", "assistant"];

    public static IRuleBuilderOptions<T, IReadOnlyList<DialogMessage>?> MustBeDialog<T>(this IRuleBuilder<T, IReadOnlyList<DialogMessage>?> rule) =>
        rule.NotEmpty().WithMessage("must hold at least one message")
            .Must(d => d is null || d.Count <= MaxTurns).WithMessage($"at most {MaxTurns} messages")
            .Must(d => d is null || d.All(m => m is not null && Roles.Contains(m.Role))).WithMessage("every role must be system, user or assistant")
            .Must(d => d is null || d.All(m => m is not null && !string.IsNullOrEmpty(m.Content))).WithMessage("every message needs content")
            .Must(d => d is null || d.Sum(m => m?.Content?.Length ?? 0) <= MaxChars).WithMessage($"at most {MaxChars} characters in all");
}
