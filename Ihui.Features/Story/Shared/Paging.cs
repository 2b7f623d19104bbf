using FluentValidation;

namespace Ihui.Features.Story.Shared;

/// <summary>Seed 003's paging: <c>page</c> from 1, <c>limit</c> 10 by default and at most 100, given as query text.</summary>
public interface IPagedRequest
{
    string? Page { get; }
    string? Limit { get; }
}

public readonly record struct Paging(int Page, int Limit)
{
    public const int DefaultLimit = 10;
    public const int MaxLimit = 100;

    public int Offset => (Page - 1) * Limit;

    public static Paging Of(IPagedRequest r) => new(Parse(r.Page) ?? 1, Parse(r.Limit) ?? DefaultLimit);

    private static int? Parse(string? s) => int.TryParse(s, out var v) ? v : null;

    /// <summary>The rules, with FastAPI's messages and types (reported under <c>query</c>).</summary>
    public static void Rules<T>(AbstractValidator<T> v) where T : IPagedRequest
    {
        v.RuleFor(r => r.Page).Must(p => p is null || int.TryParse(p, out _)).WithMessage("Input should be a valid integer, unable to parse string as an integer")
            .WithErrorCode("int_parsing").WithState(_ => "query")
            .DependentRules(() => v.RuleFor(r => r.Page).Must(p => p is null || int.Parse(p) >= 1)
                .WithMessage("Input should be greater than or equal to 1").WithErrorCode("greater_than_equal").WithState(_ => "query"));
        v.RuleFor(r => r.Limit).Must(p => p is null || int.TryParse(p, out _)).WithMessage("Input should be a valid integer, unable to parse string as an integer")
            .WithErrorCode("int_parsing").WithState(_ => "query")
            .DependentRules(() => v.RuleFor(r => r.Limit).Must(p => p is null || int.Parse(p) is >= 1 and <= MaxLimit)
                .WithMessage($"Input should be from 1 to {MaxLimit}").WithErrorCode("less_than_equal").WithState(_ => "query"));
    }
}

/// <summary>A page of a list, as seed 003 answers it.</summary>
public sealed record Page<T>(long Total, IReadOnlyList<T> Items);
