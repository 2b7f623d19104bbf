using FluentValidation;
using Ihui.Features.Story.Shared;
using Ihui.Features.Story.TextToImage;

namespace Ihui.Features.Story.PromptedImages;

public sealed class GenerateAvatarValidator : AbstractValidator<GenerateAvatarRequest>
{
    public GenerateAvatarValidator()
    {
        RuleFor(r => r.LlmIdForPrompt).NotEmpty().MaximumLength(128);
        RuleFor(r => r.LlmIdForT2i).NotEmpty().MaximumLength(128);
        RuleFor(r => r.CharacterDescription).NotEmpty().MaximumLength(StoryLimits.Text);
        RuleFor(r => r.ArtStyleKeyword).MaximumLength(StoryLimits.Name);
        RuleFor(r => r.Personality).MaximumLength(StoryLimits.Text);
        RuleFor(r => r.ReferenceImageDescription).MaximumLength(StoryLimits.Text);
        RuleFor(r => r.Size).Must(PromptedImageRules.IsSize).WithMessage(PromptedImageRules.SizeMessage);
    }
}

public sealed class GenerateBackgroundValidator : AbstractValidator<GenerateBackgroundRequest>
{
    public GenerateBackgroundValidator()
    {
        RuleFor(r => r.BackgroundDescription).NotEmpty().MaximumLength(StoryLimits.Text);
        RuleFor(r => r.StyleKeyword).MaximumLength(StoryLimits.Name);
        RuleFor(r => r.LlmIdForPrompt).MaximumLength(128);
        RuleFor(r => r.LlmIdForT2i).MaximumLength(128);
        RuleFor(r => r.Size).Must(PromptedImageRules.IsSize).WithMessage(PromptedImageRules.SizeMessage);
    }
}

public static class PromptedImageRules
{
    public static readonly string SizeMessage = "must be one of " + string.Join(", ", SubmitTextToImageRequest.Sizes);

    public static bool IsSize(string? size) => size is null || SubmitTextToImageRequest.Sizes.Contains(size);
}
