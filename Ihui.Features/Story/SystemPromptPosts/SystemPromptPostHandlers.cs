using Ihui.Features.Common.Pipeline;
using Ihui.Features.Story.Shared;
using Mediator;

namespace Ihui.Features.Story.SystemPromptPosts;

public sealed class SavePostHandler(SystemPromptPostStore posts, CurrentCaller current, TimeProvider clock) : IRequestHandler<SavePostRequest, PostView>
{
    public async ValueTask<PostView> Handle(SavePostRequest r, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (r.Id is null)
        {
            var row = new PostRow { Id = StoryJson.NewId(clock), OwnerId = current.Caller.UserId, Content = r.Content!, CreatedAt = now, UpdatedAt = now };
            await posts.InsertAsync(row, ct);
            return View(row);
        }
        var old = await OwnedAsync(posts, current, r.Id, ct);
        var updated = old with { Content = r.Content!, UpdatedAt = now };
        await posts.UpdateAsync(updated, ct);
        return View(updated);
    }

    public static PostView View(PostRow p) => new(p.Id, p.Content, StoryJson.Time(p.CreatedAt));

    internal static async Task<PostRow> OwnedAsync(SystemPromptPostStore posts, CurrentCaller current, string id, CancellationToken ct)
    {
        var post = await posts.FindAsync(id, ct);
        Ownership.EnsureOwner("System prompt post", post?.OwnerId, post is not null, current.Caller.UserId);
        return post!;
    }
}

public sealed class ListPostsHandler(SystemPromptPostStore posts, CurrentCaller current) : IRequestHandler<ListPostsRequest, Page<PostView>>
{
    public async ValueTask<Page<PostView>> Handle(ListPostsRequest r, CancellationToken ct)
    {
        var page = await posts.PageAsync(current.Caller.UserId, Paging.Of(r), ct);
        return new Page<PostView>(page.Total, page.Items.Select(SavePostHandler.View).ToList());
    }
}

public sealed class GetPostHandler(SystemPromptPostStore posts, CurrentCaller current) : IRequestHandler<GetPostRequest, PostView>
{
    public async ValueTask<PostView> Handle(GetPostRequest r, CancellationToken ct)
    {
        var post = await posts.FindAsync(r.Id, ct);
        return post is not null && post.OwnerId == current.Caller.UserId ? SavePostHandler.View(post) : throw Ownership.NotFound("System prompt post");
    }
}

public sealed class DeletePostHandler(SystemPromptPostStore posts, CurrentCaller current) : IRequestHandler<DeletePostRequest, Unit>
{
    public async ValueTask<Unit> Handle(DeletePostRequest r, CancellationToken ct)
    {
        await SavePostHandler.OwnedAsync(posts, current, r.Id, ct);
        await posts.DeleteAsync(r.Id, ct);
        return Unit.Value;
    }
}
