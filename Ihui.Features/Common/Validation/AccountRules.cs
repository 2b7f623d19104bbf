using System.Text.RegularExpressions;
using FluentValidation;

namespace Ihui.Features.Common.Validation;

/// <summary>Username, password and email rules shared by registration and the admin console.</summary>
public static partial class AccountRules
{
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 128;

    [GeneratedRegex(@"^[\p{L}\p{N}_.\-]{2,32}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    public static string? NameProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "must not be empty"
        : !NamePattern().IsMatch(name) ? "must be 2-32 letters, digits, '_', '.' or '-'"
        : null;

    public static string? PasswordProblem(string? password) =>
        string.IsNullOrEmpty(password) ? "must not be empty"
        : password.Length < MinPasswordLength ? $"must be at least {MinPasswordLength} characters"
        : password.Length > MaxPasswordLength ? $"must be at most {MaxPasswordLength} characters"
        : !password.Any(char.IsLetter) || !password.Any(char.IsDigit) ? "must contain a letter and a digit"
        : null;

    public static bool IsEmail(string? email) => email is { Length: <= 254 } e && EmailPattern().IsMatch(e);

    public static IRuleBuilderOptionsConditions<T, string?> MustBeAccountName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Custom((name, ctx) => { if (NameProblem(name) is { } p) ctx.AddFailure(p); });

    public static IRuleBuilderOptionsConditions<T, string?> MustBeStrongPassword<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Custom((password, ctx) => { if (PasswordProblem(password) is { } p) ctx.AddFailure(p); });

    public static IRuleBuilderOptions<T, string?> MustBeEmail<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(IsEmail).WithMessage("must be a valid email address");
}
