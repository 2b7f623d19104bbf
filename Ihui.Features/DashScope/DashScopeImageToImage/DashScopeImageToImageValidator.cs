using FluentValidation;
using Ihui.Features.Common.Validation;

namespace Ihui.Features.DashScope.DashScopeImageToImage;

public sealed class DashScopeImageToImageValidator : AbstractValidator<DashScopeImageToImageRequest>
{
    private static readonly string[] Known = ["n", "seed", "watermark", "negative_prompt"];

    public DashScopeImageToImageValidator()
    {
        RuleFor(r => r.Prompt).NotEmpty().MaximumLength(2000);
        RuleFor(r => r.Images).NotEmpty()
            .Must(i => i is null || i.Count <= DashScopeImageToImageRequest.MaxImages)
            .WithMessage($"1 to {DashScopeImageToImageRequest.MaxImages} images");
        RuleForEach(r => r.Images).Must(i => i is not null && CommonRules.IsImageReference(i.ImgUrl))
            .WithMessage("imgUrl must be an http(s) URL or a data:image URI")
            .Must(i => i is null || CommonRules.FitsInlineLimit(i.ImgUrl))
            .WithMessage($"image too large: an inline image may be at most {CommonRules.MaxInlineImageBytes / (1024 * 1024)} MB");
        RuleForEach(r => r.Zidingyican).MustBeCustomParam(p => p.Name switch
        {
            "n" when p.AsLong is not (>= 1 and <= DashScopeImageToImageRequest.MaxOutputs) => $"n must be from 1 to {DashScopeImageToImageRequest.MaxOutputs}",
            "seed" when p.AsLong is not (>= 0 and <= int.MaxValue) => "seed must be an integer from 0 to 2147483647",
            "watermark" when p.AsBool is null => "watermark must be true or false",
            "negative_prompt" when p.Text is not { Length: <= 500 } => "negative_prompt must be text of at most 500 characters",
            _ => null,
        });
        RuleFor(r => r.Zidingyican).Must(l => l is null || l.Count(p => Known.Contains(p?.Name)) <= 10).WithMessage("too many parameters");
        RuleFor(r => r.IdempotencyKey).MaximumLength(128).OverridePropertyName("Idempotency-Key");
    }
}
