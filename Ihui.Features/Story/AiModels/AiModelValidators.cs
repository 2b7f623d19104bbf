using FluentValidation;
using Ihui.Features.Common.Models;

namespace Ihui.Features.Story.AiModels;

public sealed class ListAiModelsValidator : AbstractValidator<ListAiModelsRequest>
{
    public ListAiModelsValidator()
    {
        RuleFor(r => r.Type).Must(t => t is null || ModelTypes.IsKnown(t)).WithMessage(AiModelRules.TypeMessage).WithState(_ => "query");
        RuleFor(r => r.LlmId).MaximumLength(128).WithState(_ => "query");
    }
}

public sealed class LeastUsedModelValidator : AbstractValidator<LeastUsedModelRequest>
{
    public LeastUsedModelValidator() =>
        RuleFor(r => r.Type).Must(ModelTypes.IsKnown).WithMessage(AiModelRules.TypeMessage).WithState(_ => "path");
}

public static class AiModelRules
{
    public static readonly string TypeMessage = "must be one of " + string.Join(", ", ModelTypes.All);
}
