using System.Text.Json;
using FluentValidation;
using Ihui.Features.Story.Shared;

namespace Ihui.Features.Story.Catalogs;

public sealed class SaveLanguageValidator : AbstractValidator<SaveLanguageRequest>
{
    public SaveLanguageValidator() => RuleFor(r => r.Language).NotEmpty().WithMessage("Field required").MaximumLength(64);
}

public sealed class SaveMusicValidator : AbstractValidator<SaveMusicRequest>
{
    public SaveMusicValidator()
    {
        RuleFor(r => r.Name).NotEmpty().WithMessage("Field required").When(r => r.Id is null);
        RuleFor(r => r.Url).NotEmpty().WithMessage("Field required").When(r => r.Id is null);
        RuleFor(r => r.Type).NotEmpty().WithMessage("Field required").When(r => r.Id is null);
        RuleFor(r => r.Name).MaximumLength(StoryLimits.Name).Must(v => v is null || v.Trim().Length > 0).WithMessage("must not be empty");
        RuleFor(r => r.Type).MaximumLength(64).Must(v => v is null || v.Trim().Length > 0).WithMessage("must not be empty");
        RuleFor(r => r.Url).MaximumLength(StoryLimits.Url)
            .Must(u => u is null || Uri.TryCreate(u, UriKind.Absolute, out var x) && x.Scheme is "http" or "https")
            .WithMessage("Input should be a valid URL").WithErrorCode("url_parsing");
    }
}

public sealed class SaveTemplateValidator : AbstractValidator<SaveTemplateRequest>
{
    public SaveTemplateValidator()
    {
        RuleFor(r => r.Id).Matches("^[A-Za-z0-9_-]{1,64}$").WithMessage("letters, digits, '-' and '_' only, at most 64").When(r => r.Creating && r.Id is not null);
        RuleFor(r => r.Name).NotEmpty().WithMessage("Field required").When(r => r.Creating);
        RuleFor(r => r.Name).MaximumLength(StoryLimits.Name).Must(v => v is null || v.Trim().Length > 0).WithMessage("must not be empty");
        RuleFor(r => r.Thumbnail).MaximumLength(StoryLimits.Url);
        RuleFor(r => r.Introduction).MaximumLength(StoryLimits.Text);
        RuleFor(r => r.HiddenPrompt).MaximumLength(StoryLimits.LongText);
        RuleFor(r => r.MaxCharacters).InclusiveBetween(1, 50).When(r => r.MaxCharacters is not null);
        RuleFor(r => r.Components).Must(c => c is null || c.Value.ValueKind is JsonValueKind.Array or JsonValueKind.Null)
            .WithMessage("Input should be a valid list").WithErrorCode("list_type")
            .Must(c => c is null || c.Value.GetRawText().Length <= StoryLimits.JsonChars).WithMessage($"must be at most {StoryLimits.JsonChars} characters of JSON");
        RuleFor(r => r.Status).Must(CatalogRules.IsStatus).WithMessage("Input should be 'active' or 'inactive'").WithErrorCode("enum");
    }
}

public sealed class ListTemplatesValidator : AbstractValidator<ListTemplatesRequest>
{
    public ListTemplatesValidator() => RuleFor(r => r.Status).Must(CatalogRules.IsStatus).WithMessage("Input should be 'active' or 'inactive'")
        .WithErrorCode("enum").WithState(_ => "query");
}

public sealed class ListArtStylesValidator : AbstractValidator<ListArtStylesRequest>
{
    public ListArtStylesValidator() => RuleFor(r => r.Status).Must(CatalogRules.IsStatus).WithMessage("Input should be 'active' or 'inactive'")
        .WithErrorCode("enum").WithState(_ => "query");
}

public sealed class ListMusicValidator : AbstractValidator<ListMusicRequest>
{
    public ListMusicValidator() => RuleFor(r => r.Type).MaximumLength(64).WithState(_ => "query");
}

internal static class CatalogRules
{
    public static bool IsStatus(string? s) => s is null or "active" or "inactive";
}
