using Ihui.Features.Common.ChatCompletions;
using FluentValidation;
using Ihui.Features.Common.Models;
using Ihui.Features.Story.Shared;
using Ihui.Features.Story.SelectSpeakers;

namespace Ihui.Features.Story.GenerateResponse;

public sealed class PrepareReplyValidator : AbstractValidator<PrepareReplyRequest>
{
    public PrepareReplyValidator()
    {
        RuleFor(r => r.HistoryLength).InclusiveBetween(0, SelectSpeakersValidator.MaxHistory).When(r => r.HistoryLength is not null);
        RuleFor(r => r.CharacterId).NotEmpty().WithMessage("Field required").Must(StoryJson.IsId).WithMessage("must be a 24-hex-digit id");
        RuleFor(r => r.ConversationId).NotEmpty().WithMessage("Field required").Must(StoryJson.IsId).WithMessage("must be a 24-hex-digit id");
        RuleFor(r => r.LastMessageId).Must(id => string.IsNullOrEmpty(id) || StoryJson.IsId(id)).WithMessage("must be a 24-hex-digit id");
        RuleFor(r => r.UserMessage).MaximumLength(StoryLimits.Text);
        RuleFor(r => r.UserMessage).NotEmpty().WithMessage("Field required").When(r => r.IsFirstResponse == true);
        RuleFor(r => r.HistoryMessages).Must(m => m is null || m.Count <= 1000).WithMessage("at most 1000 messages");
        RuleForEach(r => r.HistoryMessages).Must(m => m is not null).WithMessage("Input should be a valid dictionary").ChildRules(m =>
        {
            m.RuleFor(x => x!.Role).MaximumLength(32);
            m.RuleFor(x => x!.Content).MaximumLength(StoryLimits.Text);
            m.RuleFor(x => x!.CharacterName).MaximumLength(StoryLimits.Name);
        }).When(r => r.HistoryMessages is not null);
    }
}

public sealed class StoryReplyStreamValidator(ModelCatalog catalog) : ChatCompletionsRules<StoryReplyStreamRequest>(catalog);
