using FluentValidation;
using Ihui.Features.Common.Vendors.Jimeng;

namespace Ihui.Features.Jimeng.JimengTextToVideo;

public sealed class JimengTextToVideoValidator : AbstractValidator<JimengTextToVideoRequest>
{
    public JimengTextToVideoValidator()
    {
        RuleFor(r => r.Prompt).NotEmpty().MaximumLength(800);
        RuleFor(r => r.Duration).Must(d => d is null or 5 or 10).WithMessage("must be 5 or 10 (seconds)");
        RuleFor(r => r.Resolution).Must(r => r is null || string.Equals(r, "1080p", StringComparison.OrdinalIgnoreCase))
            .WithMessage("this route generates 1080p only");
        RuleFor(r => r.AspectRatio).Must(a => a is null || JimengVideoPayload.AspectRatios.Contains(a))
            .WithMessage($"must be one of {string.Join(", ", JimengVideoPayload.AspectRatios)}");
        RuleFor(r => r.ChatId).MaximumLength(128);
        RuleFor(r => r.IdempotencyKey).MaximumLength(128).OverridePropertyName("Idempotency-Key");
    }
}
