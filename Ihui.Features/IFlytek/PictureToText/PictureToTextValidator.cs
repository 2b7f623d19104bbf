using FluentValidation;

namespace Ihui.Features.IFlytek.PictureToText;

public sealed class PictureToTextValidator : AbstractValidator<PictureToTextRequest>
{
    public PictureToTextValidator()
    {
        RuleFor(r => r.Image.Length).Cascade(CascadeMode.Stop)
            .GreaterThan(0).WithMessage("is empty: send a JPEG or PNG file as the request body")
            .LessThanOrEqualTo(PictureToTextRequest.MaxBytes).WithMessage($"is larger than {PictureToTextRequest.MaxBytes} bytes")
            .OverridePropertyName("image");
        RuleFor(r => r.Encoding).NotNull().When(r => r.Image.Length > 0)
            .WithMessage("must be a JPEG or PNG file").OverridePropertyName("image");
    }
}
