using System.Text.Json;
using FluentValidation;
using Ihui.Features.Story.Shared;

namespace Ihui.Features.Story.Stories;

public sealed class CreateStoryValidator : AbstractValidator<CreateStoryRequest>
{
    public CreateStoryValidator()
    {
        RuleFor(r => r.Title).NotEmpty().WithMessage("Field required").MaximumLength(StoryLimits.Name);
        RuleFor(r => r.Setting).Must(StoryRules.ObjectOrNull).WithMessage("Input should be a valid dictionary").WithErrorCode("dict_type")
            .Must(StoryRules.NotHuge).WithMessage($"must be at most {StoryLimits.JsonChars} characters of JSON");
    }
}

public sealed class UpdateStoryValidator : AbstractValidator<UpdateStoryRequest>
{
    public UpdateStoryValidator()
    {
        RuleFor(r => r.Title).Must(t => t is null || t.Trim().Length > 0).WithMessage("must not be empty").MaximumLength(StoryLimits.Name);
        RuleFor(r => r.Setting).Must(StoryRules.ObjectOrNull).WithMessage("Input should be a valid dictionary").WithErrorCode("dict_type")
            .Must(StoryRules.NotHuge).WithMessage($"must be at most {StoryLimits.JsonChars} characters of JSON");
    }
}

public sealed class ListStoriesValidator : AbstractValidator<ListStoriesRequest>
{
    public ListStoriesValidator() => Paging.Rules(this);
}

public sealed class UnstartedStoriesValidator : AbstractValidator<UnstartedStoriesRequest>
{
    public UnstartedStoriesValidator() => Paging.Rules(this);
}

public sealed class PublishStoryValidator : AbstractValidator<PublishStoryRequest>
{
    public PublishStoryValidator()
    {
        RuleFor(r => r.StoryName).NotEmpty().WithMessage("Field required").MaximumLength(StoryLimits.Name);
        RuleFor(r => r.TemplateId).MaximumLength(64);
        RuleFor(r => r.TemplateContent).MaximumLength(StoryLimits.LongText);
        RuleFor(r => r.BgImageUrl).MaximumLength(StoryLimits.Url);
        RuleFor(r => r.Language).MaximumLength(64);
        RuleFor(r => r.BackgroundMusicId).Must(id => id is null || StoryJson.IsId(id)).WithMessage("must be a 24-hex-digit id");
        RuleFor(r => r.Characters).NotNull().WithMessage("Field required")
            .Must(c => c is null || c.Count <= 50).WithMessage("at most 50 characters");
        RuleForEach(r => r.Characters).Must(StoryJson.IsId).WithMessage("must be a 24-hex-digit id");
        RuleFor(r => r.OpeningMessages).Must(m => m is null || m.Count <= 100).WithMessage("at most 100 opening messages");
        RuleForEach(r => r.OpeningMessages).Must(m => m is not null).WithMessage("Input should be a valid dictionary").ChildRules(m =>
        {
            m.RuleFor(x => x!.Content).NotEmpty().WithMessage("Field required").MaximumLength(StoryLimits.Text);
            m.RuleFor(x => x!.Character).Must(id => id is null || StoryJson.IsId(id)).WithMessage("must be a 24-hex-digit id");
        }).When(r => r.OpeningMessages is not null);
        RuleFor(r => r.Settings).Must(StoryRules.NotHuge).WithMessage($"must be at most {StoryLimits.JsonChars} characters of JSON");
    }
}

internal static class StoryRules
{
    public static bool ObjectOrNull(JsonElement? e) => e is null || e.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Null;
    public static bool NotHuge(JsonElement? e) => e is null || e.Value.GetRawText().Length <= StoryLimits.JsonChars;
}
