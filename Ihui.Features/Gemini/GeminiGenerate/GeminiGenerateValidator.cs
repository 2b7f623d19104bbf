using FluentValidation;

namespace Ihui.Features.Gemini.GeminiGenerate;

public sealed class GeminiGenerateValidator : AbstractValidator<GeminiGenerateRequest>
{
    public GeminiGenerateValidator()
    {
        RuleFor(r => r.Prompt).NotEmpty().MaximumLength(100_000);
        RuleFor(r => r.Temperature).InclusiveBetween(0, 2);
        RuleFor(r => r.MaxTokens).InclusiveBetween(1, 65_536);
        RuleFor(r => r.Model).Matches("^gemini-[A-Za-z0-9._-]+$").When(r => r.Model is not null)
            .WithMessage("must be a Gemini model such as gemini-3");
    }
}
