using FluentValidation;
using Ihui.Features.Common.Vendors.Suno;

namespace Ihui.Features.Suno.SunoGenerateMusic;

public sealed class SunoGenerateMusicValidator : AbstractValidator<SunoGenerateMusicRequest>
{
    public SunoGenerateMusicValidator()
    {
        RuleFor(r => r.Prompt).NotEmpty().MaximumLength(3000);
        RuleFor(r => r.Model).Must(m => m is null || SunoMusicPayload.Models.ContainsKey(m))
            .WithMessage($"must be one of {string.Join(", ", SunoMusicPayload.Models.Keys.Order(StringComparer.Ordinal))}");
        RuleFor(r => r.Duration).InclusiveBetween(1, 480).When(r => r.Duration is not null);
        RuleFor(r => r.Style).MaximumLength(200);
        RuleFor(r => r.ChatId).MaximumLength(128);
        RuleFor(r => r.IdempotencyKey).MaximumLength(128).OverridePropertyName("Idempotency-Key");
    }
}
