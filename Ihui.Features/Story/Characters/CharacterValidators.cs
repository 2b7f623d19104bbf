using FluentValidation;
using Ihui.Features.Story.Shared;

namespace Ihui.Features.Story.Characters;

public sealed class CreateCharacterValidator : AbstractValidator<CreateCharacterRequest>
{
    public CreateCharacterValidator()
    {
        RuleFor(r => r.Name).NotEmpty().WithMessage("Field required").MaximumLength(StoryLimits.Name);
        RuleFor(r => r.Avatar).MaximumLength(StoryLimits.Url);
        RuleFor(r => r.ImageUrl).MaximumLength(StoryLimits.Url);
        RuleFor(r => r.IconUrl).MaximumLength(StoryLimits.Url);
        RuleFor(r => r.Personality).MaximumLength(StoryLimits.Text);
        RuleFor(r => r.Background).MaximumLength(StoryLimits.Text);
        RuleFor(r => r.Description).MaximumLength(StoryLimits.Text);
    }
}

public sealed class UpdateCharacterValidator : AbstractValidator<UpdateCharacterRequest>
{
    public UpdateCharacterValidator()
    {
        RuleFor(r => r.Name).Must(n => n is null || n.Trim().Length > 0).WithMessage("must not be empty").MaximumLength(StoryLimits.Name);
        RuleFor(r => r.Avatar).MaximumLength(StoryLimits.Url);
        RuleFor(r => r.ImageUrl).MaximumLength(StoryLimits.Url);
        RuleFor(r => r.IconUrl).MaximumLength(StoryLimits.Url);
        RuleFor(r => r.Personality).MaximumLength(StoryLimits.Text);
        RuleFor(r => r.Background).MaximumLength(StoryLimits.Text);
        RuleFor(r => r.Description).MaximumLength(StoryLimits.Text);
    }
}

public sealed class ListCharactersValidator : AbstractValidator<ListCharactersRequest>
{
    public ListCharactersValidator() => Paging.Rules(this);
}

public sealed class CreateFromAvatarValidator : AbstractValidator<CreateFromAvatarRequest>
{
    public CreateFromAvatarValidator()
    {
        RuleFor(r => r.CharacterName).NotEmpty().WithMessage("Field required").MaximumLength(StoryLimits.Name);
        RuleFor(r => r.CharacterDescription).MaximumLength(StoryLimits.Text);
        RuleFor(r => r.Personality).MaximumLength(StoryLimits.Text);
        RuleFor(r => r.ImagePrompt).MaximumLength(StoryLimits.Text);
        RuleFor(r => r.Language).MaximumLength(64);
        RuleFor(r => r.LlmId).MaximumLength(128);
        RuleFor(r => r.ImageUrl).MaximumLength(StoryLimits.Url);
        RuleFor(r => r.IconUrl).MaximumLength(StoryLimits.Url);
    }
}
