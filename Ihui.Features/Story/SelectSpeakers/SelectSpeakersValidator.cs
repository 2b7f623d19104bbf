using Ihui.Features.Common.ChatCompletions;
using FluentValidation;
using Ihui.Features.Common.Models;
using Ihui.Features.Story.Shared;

namespace Ihui.Features.Story.SelectSpeakers;

public sealed class SelectSpeakersValidator : AbstractValidator<SelectSpeakersRequest>
{
    public const int DefaultHistory = 25;
    public const int MaxHistory = 200;

    public SelectSpeakersValidator()
    {
        RuleFor(r => r.HistoryLength).InclusiveBetween(1, MaxHistory).When(r => r.HistoryLength is not null);
        RuleFor(r => r.UserMessage).MaximumLength(StoryLimits.Text);
        RuleFor(r => r.CharacterNames).NotNull().WithMessage("Field required").Must(n => n is null || n.Count <= 50).WithMessage("at most 50 names");
        RuleForEach(r => r.CharacterNames).Must(n => n is not null).WithMessage("Input should be a valid string").MaximumLength(StoryLimits.Name);
        RuleFor(r => r.HistoryMessages).Must(m => m is null || m.Count <= 1000).WithMessage("at most 1000 messages");
        RuleForEach(r => r.HistoryMessages).Must(m => m is not null).WithMessage("Input should be a valid dictionary").ChildRules(m =>
        {
            m.RuleFor(x => x!.Role).MaximumLength(32);
            m.RuleFor(x => x!.Content).MaximumLength(StoryLimits.Text);
            m.RuleFor(x => x!.CharacterName).MaximumLength(StoryLimits.Name);
        }).When(r => r.HistoryMessages is not null);
        RuleFor(r => r.ConversationId).MaximumLength(64);
    }
}

public sealed class SpeakerChoiceValidator(ModelCatalog catalog) : ChatCompletionsRules<SpeakerChoiceRequest>(catalog);
