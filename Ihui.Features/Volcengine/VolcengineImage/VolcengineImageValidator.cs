using FluentValidation;

namespace Ihui.Features.Volcengine.VolcengineImage;

public sealed class VolcengineImageValidator : AbstractValidator<VolcengineImageRequest>
{
    public VolcengineImageValidator()
    {
        RuleFor(r => r.Prompt).NotEmpty().MaximumLength(800);
        RuleFor(r => r.N).InclusiveBetween(1, VolcengineImageRequest.MaxImages).When(r => r.N is not null);
        RuleFor(r => r.Size).Must(s => VolcengineImageRequest.ParseSize(s) is { } wh
                                       && wh.Width is >= VolcengineImageRequest.MinSide and <= VolcengineImageRequest.MaxSide
                                       && wh.Height is >= VolcengineImageRequest.MinSide and <= VolcengineImageRequest.MaxSide)
            .WithMessage($"must be W*H with each side between {VolcengineImageRequest.MinSide} and {VolcengineImageRequest.MaxSide}");
        RuleFor(r => r.Model).Matches("^[a-z0-9][a-z0-9._-]{0,63}$").When(r => r.Model is not null)
            .WithMessage("must be a model name such as volcengine-image");
        RuleFor(r => r.ChatId).MaximumLength(128);
    }
}
