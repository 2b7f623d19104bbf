using FluentValidation;

namespace Ihui.Features.Gemini.GeminiGenerate;

public sealed class GeminiGenerateValidator : AbstractValidator<GeminiGenerateRequest>
{
    public GeminiGenerateValidator()
    {
        RuleFor(r => r.Prompt).NotEmpty().WithName("prompt").MaximumLength(100_000);
        RuleFor(r => r.Temperature).InclusiveBetween(0, 2).WithName("temperature");
        RuleFor(r => r.MaxTokens).InclusiveBetween(1, 65_536).WithName("max_tokens");
        RuleFor(r => r.Model).Matches("^gemini-[A-Za-z0-9._-]+$").When(r => r.Model is not null).WithName("model")
            .WithMessage("must be a Gemini model such as gemini-3");
    }
}
