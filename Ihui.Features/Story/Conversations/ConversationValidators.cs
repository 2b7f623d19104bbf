using System.Globalization;
using FluentValidation;
using Ihui.Features.Story.Shared;

namespace Ihui.Features.Story.Conversations;

public sealed class CreateConversationValidator : AbstractValidator<CreateConversationRequest>
{
    public const int MaxOpenings = 100;

    public CreateConversationValidator()
    {
        RuleFor(r => r.StoryId).NotEmpty().WithMessage("Field required").Must(StoryJson.IsId).WithMessage("must be a 24-hex-digit id");
        RuleFor(r => r.Messages).Must(m => m is null || m.Count <= MaxOpenings).WithMessage($"at most {MaxOpenings} messages");
        RuleForEach(r => r.Messages).Must(m => m is not null).WithMessage("Input should be a valid dictionary").ChildRules(m =>
        {
            m.RuleFor(x => x!.Content).NotEmpty().WithMessage("Field required").MaximumLength(StoryLimits.Text);
            m.RuleFor(x => x!.CharacterId).NotEmpty().WithMessage("Field required").Must(StoryJson.IsId).WithMessage("must be a 24-hex-digit id");
        }).When(r => r.Messages is not null);
    }
}

public sealed class HistoryByTimeValidator : AbstractValidator<HistoryByTimeRequest>
{
    public HistoryByTimeValidator()
    {
        RuleFor(r => r.ConversationId).NotEmpty().WithMessage("Field required").Must(StoryJson.IsId).WithMessage("must be a 24-hex-digit id");
        RuleFor(r => r.LastMessageTime).Must(t => t is null || HistoryTime.TryParse(t, out _))
            .WithMessage("Input should be a valid datetime").WithErrorCode("datetime_parsing");
        RuleFor(r => r.Limit).InclusiveBetween(1, 500).When(r => r.Limit is not null);
    }
}

public sealed class HistoryByMessageValidator : AbstractValidator<HistoryByMessageRequest>
{
    public HistoryByMessageValidator()
    {
        RuleFor(r => r.ConversationId).NotEmpty().WithMessage("Field required").WithErrorCode("missing").WithState(_ => "query")
            .Must(StoryJson.IsId).WithMessage("must be a 24-hex-digit id").WithState(_ => "query");
        RuleFor(r => r.LastMessageId).Must(id => string.IsNullOrEmpty(id) || StoryJson.IsId(id)).WithMessage("must be a 24-hex-digit id")
            .WithState(_ => "query");
        RuleFor(r => r.Limit).Must(l => l is null || int.TryParse(l, out var n) && n is >= 1 and <= 500)
            .WithMessage("Input should be an integer from 1 to 500").WithErrorCode("int_parsing").WithState(_ => "query");
    }
}

/// <summary>The seed's <c>last_message_time</c>: ISO 8601; a time without an offset is UTC.</summary>
public static class HistoryTime
{
    public static bool TryParse(string text, out DateTime utc)
    {
        var ok = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
                 && text.Length <= 64;
        utc = ok ? t.UtcDateTime : default;
        return ok;
    }
}
