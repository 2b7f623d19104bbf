using FluentValidation;

namespace Ihui.Features.Story.TextToImage;

public sealed class SubmitTextToImageValidator : AbstractValidator<SubmitTextToImageRequest>
{
    public const int MaxPrompt = 4000;

    public SubmitTextToImageValidator()
    {
        RuleFor(r => r.ModelId).NotEmpty().MaximumLength(128);
        RuleFor(r => r.Prompt).NotEmpty().MaximumLength(MaxPrompt);
        RuleFor(r => r.Size).Must(s => s is null || SubmitTextToImageRequest.Sizes.Contains(s))
            .WithMessage("must be one of " + string.Join(", ", SubmitTextToImageRequest.Sizes));
    }
}
