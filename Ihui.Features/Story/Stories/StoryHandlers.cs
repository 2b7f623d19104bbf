using System.Globalization;
using System.Text.Json;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Story.Shared;
using Mediator;

namespace Ihui.Features.Story.Stories;

public sealed class CreateStoryHandler(StoryStore stories, CurrentCaller current) : IRequestHandler<CreateStoryRequest, StoryView>
{
    public async ValueTask<StoryView> Handle(CreateStoryRequest r, CancellationToken ct) =>
        StoryViews.View(await stories.CreateAsync(current.Caller.UserId, r.Title!.Trim(), StoryJson.Text(r.Setting), ct));
}

public sealed class ListStoriesHandler(StoryStore stories, CurrentCaller current) : IRequestHandler<ListStoriesRequest, Page<StoryView>>
{
    public async ValueTask<Page<StoryView>> Handle(ListStoriesRequest r, CancellationToken ct)
    {
        var page = await stories.OwnAsync(current.Caller.UserId, Paging.Of(r), ct);
        return new Page<StoryView>(page.Total, page.Items.Select(StoryViews.View).ToList());
    }
}

public sealed class GetStoryHandler(StoryStore stories, CurrentCaller current) : IRequestHandler<GetStoryRequest, StoryView>
{
    public async ValueTask<StoryView> Handle(GetStoryRequest r, CancellationToken ct)
    {
        var story = await stories.FindAsync(r.Id, ct);
        if (story is null || story.OwnerId != current.Caller.UserId && story.Status != "published") throw Ownership.NotFound("Story");
        return StoryViews.View(story);
    }
}

public sealed class UpdateStoryHandler(StoryStore stories, CurrentCaller current) : IRequestHandler<UpdateStoryRequest, StoryUpdated>
{
    public async ValueTask<StoryUpdated> Handle(UpdateStoryRequest r, CancellationToken ct)
    {
        var story = await StoryViews.OwnedAsync(stories, current, r.Id, ct);
        var updated = await stories.UpdateAsync(story with { Title = r.Title?.Trim() ?? story.Title, Setting = StoryJson.Text(r.Setting) ?? story.Setting }, ct);
        var view = StoryViews.View(updated);
        return new StoryUpdated(view.Id, view.Title, view.Setting, view.UpdatedAt);
    }
}

public sealed class DeleteStoryHandler(StoryStore stories, CurrentCaller current) : IRequestHandler<DeleteStoryRequest, Unit>
{
    public async ValueTask<Unit> Handle(DeleteStoryRequest r, CancellationToken ct)
    {
        await StoryViews.OwnedAsync(stories, current, r.Id, ct);
        await stories.DeleteAsync(r.Id, ct);
        return Unit.Value;
    }
}

/// <summary>
/// Checks what the story refers to (its template, music and characters must exist and the characters must be the
/// caller's own or the platform's), then stores it published.
/// </summary>
public sealed class PublishStoryHandler(StoryStore stories, CharacterStore characters, StoryTemplateStore templates, MusicStore music,
    CurrentCaller current) : IRequestHandler<PublishStoryRequest, PublishedStory>
{
    public async ValueTask<PublishedStory> Handle(PublishStoryRequest r, CancellationToken ct)
    {
        var userId = current.Caller.UserId;
        if (r.TemplateId is { Length: > 0 } templateId)
        {
            var template = await templates.FindAsync(templateId, ct) ?? throw Ownership.NotFound("Story template");
            var cast = r.Characters!.Count(id => id is not null);
            if (cast > template.MaxCharacters)
                throw ApiException.BadRequest($"The template '{template.Id}' allows at most {template.MaxCharacters} characters (got {cast})");
        }
        if (r.BackgroundMusicId is { } musicId && await music.FindAsync(musicId, ct) is null) throw Ownership.NotFound("Music");
        var ids = r.Characters!.Select(id => id!).Distinct(StringComparer.Ordinal).ToList();
        foreach (var id in ids)
        {
            var character = await characters.FindAsync(id, ct);
            if (character is null || character.OwnerId is not null && character.OwnerId != userId)
                throw ApiException.NotFound($"Character '{id}' not found");
        }
        var openings = (r.OpeningMessages ?? []).Select(m => new OpeningMessage(m!.Content!, m.Character)).ToList();
        foreach (var m in openings)
            if (m.Character is { } speaker && !ids.Contains(speaker) && (await characters.FindAsync(speaker, ct))?.OwnerId is not null)
                throw ApiException.BadRequest($"Opening message speaker '{speaker}' is not one of the story's characters");

        var story = await stories.PublishAsync(new StoryRow
        {
            OwnerId = userId, Title = r.StoryName!.Trim(), TemplateId = r.TemplateId, TemplateContent = r.TemplateContent,
            BackgroundMusicId = r.BackgroundMusicId, BgImageUrl = r.BgImageUrl, Language = r.Language, Settings = StoryJson.Text(r.Settings),
            OpeningMessages = JsonSerializer.Serialize(openings, StoryJson.Options),
        }, ids, ct);
        return new PublishedStory(story.Id);
    }
}

public sealed class UnstartedStoriesHandler(StoryStore stories, MusicStore music, CurrentCaller current)
    : IRequestHandler<UnstartedStoriesRequest, IReadOnlyList<UnstartedStory>>
{
    public async ValueTask<IReadOnlyList<UnstartedStory>> Handle(UnstartedStoriesRequest r, CancellationToken ct)
    {
        var rows = await stories.UnstartedAsync(current.Caller.UserId, Paging.Of(r), ct);
        var casts = await stories.CharactersOfAsync(rows.Select(x => x.Story.Id).ToList(), ct);
        var items = new List<UnstartedStory>(rows.Count);
        foreach (var (s, wallet, creatorName) in rows)
        {
            var cast = casts[s.Id].ToList();
            var song = s.BackgroundMusicId is { } musicId ? await music.FindAsync(musicId, ct) : null;
            items.Add(new UnstartedStory
            {
                Id = s.Id, Title = s.Title, Intro = s.GeneratedBackground ?? s.TemplateContent,
                Messages = StoryStore.Openings(s).Select(m => m.Content).ToList(),
                Background = s.BgImageUrl,
                Date = (s.PublishedAt ?? s.CreatedAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Characters = cast.Count,
                AvatarUrl = cast.FirstOrDefault(c => c.CharacterType != "narrator") is { } lead ? lead.ImageUrl ?? lead.Avatar : null,
                CharacterIcons = cast.Select(c => c.IconUrl ?? c.Avatar).ToList(),
                CharacterDetails = cast.Select(c => new CharacterDetail(c.Id, c.Name, c.Description, c.ImageUrl ?? c.Avatar, c.IconUrl, c.CharacterType)).ToList(),
                BackgroundMusic = song?.Url,
                CreatedBy = wallet is null ? null : Common.Wallet.WalletAddress.Checksummed(wallet),
                CreatorName = creatorName,
            });
        }
        return items;
    }
}

internal static class StoryViews
{
    public static StoryView View(StoryRow s) =>
        new(s.Id, s.Title, StoryJson.Parse(s.Setting) ?? PublishedSetting(s), s.Status, StoryJson.Time(s.CreatedAt), StoryJson.Time(s.UpdatedAt));

    /// <summary>A published story's setting: what it was published with.</summary>
    private static JsonElement? PublishedSetting(StoryRow s) => s.Status != "published" ? null : JsonSerializer.SerializeToElement(new
    {
        template_id = s.TemplateId, template_content = s.TemplateContent, background_music_id = s.BackgroundMusicId, bg_image_url = s.BgImageUrl,
        language = s.Language, settings = StoryJson.Parse(s.Settings), opening_messages = StoryStore.Openings(s),
    }, StoryJson.Options);

    public static async Task<StoryRow> OwnedAsync(StoryStore stories, CurrentCaller current, string id, CancellationToken ct)
    {
        var userId = current.Caller.UserId;
        var story = await stories.FindAsync(id, ct);
        var visible = story is not null && (story.OwnerId == userId || story.Status == "published");
        Ownership.EnsureOwner("Story", story?.OwnerId, visible, userId);
        return story!;
    }
}
