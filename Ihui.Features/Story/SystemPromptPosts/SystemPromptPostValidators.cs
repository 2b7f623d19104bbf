using FluentValidation;
using Ihui.Features.Story.Shared;

namespace Ihui.Features.Story.SystemPromptPosts;

public sealed class SavePostValidator : AbstractValidator<SavePostRequest>
{
    public SavePostValidator() => RuleFor(r => r.Content).NotEmpty().WithMessage("Field required").MaximumLength(StoryLimits.Text);
}

public sealed class ListPostsValidator : AbstractValidator<ListPostsRequest>
{
    public ListPostsValidator() => Paging.Rules(this);
}
