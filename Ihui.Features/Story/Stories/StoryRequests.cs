using System.Text.Json;
using System.Text.Json.Serialization;
using Ihui.Features.Story.Shared;
using Ihui.Features.Common.Wallet;
using Mediator;

namespace Ihui.Features.Story.Stories;

/// <summary><c>POST /stories</c>: a title and a free-form <c>setting</c> object (model config, background, characters, openings).</summary>
public sealed record CreateStoryRequest : IRequest<StoryView>, IWalletRequest
{
    [JsonIgnore] public string? AccessToken { get; init; }
    public string? Title { get; init; }
    public JsonElement? Setting { get; init; }
}

public sealed record ListStoriesRequest(string? AccessToken, string? Page, string? Limit) : IRequest<Page<StoryView>>, IWalletRequest, IPagedRequest;

public sealed record GetStoryRequest(string? AccessToken, string Id) : IRequest<StoryView>, IWalletRequest;

public sealed record UpdateStoryRequest : IRequest<StoryUpdated>, IWalletRequest
{
    [JsonIgnore] public string? AccessToken { get; init; }
    [JsonIgnore] public string Id { get; init; } = "";
    public string? Title { get; init; }
    public JsonElement? Setting { get; init; }
}

public sealed record DeleteStoryRequest(string? AccessToken, string Id) : IRequest<Unit>, IWalletRequest;

/// <summary><c>POST /story/publish</c>: a story made from a template and the caller's (or the platform's) characters.</summary>
public sealed record PublishStoryRequest : IRequest<PublishedStory>, IWalletRequest
{
    [JsonIgnore] public string? AccessToken { get; init; }
    public string? TemplateId { get; init; }
    public string? TemplateContent { get; init; }
    public IReadOnlyList<string?>? Characters { get; init; }
    public string? BackgroundMusicId { get; init; }
    public string? BgImageUrl { get; init; }
    public string? StoryName { get; init; }
    public IReadOnlyList<OpeningMessageIn?>? OpeningMessages { get; init; }
    public JsonElement? Settings { get; init; }
    public string? Language { get; init; }
}

public sealed record OpeningMessageIn(string? Content, string? Character);

public sealed record UnstartedStoriesRequest(string? AccessToken, string? Page, string? Limit)
    : IRequest<IReadOnlyList<UnstartedStory>>, IWalletRequest, IPagedRequest;

public sealed record StoryView(string Id, string Title, JsonElement? Setting, string Status, string CreatedAt, string UpdatedAt);

public sealed record StoryUpdated(string Id, string Title, JsonElement? Setting, string UpdatedAt);

public sealed record PublishedStory(string Id);

/// <summary>An item of <c>get_unstarted_stories</c>, exactly as the seed shows it (its counters are strings).</summary>
public sealed record UnstartedStory
{
    public string Id { get; init; } = "";
    public string Title { get; init; } = "";
    public string? Intro { get; init; }
    public IReadOnlyList<string> Messages { get; init; } = [];
    public string Likes { get; init; } = "0";
    public string Rewards { get; init; } = "0";
    public string? Background { get; init; }
    public string Date { get; init; } = "";
    public int Characters { get; init; }
    public string? AvatarUrl { get; init; }
    [JsonPropertyName("characterIcons")] public IReadOnlyList<string?> CharacterIcons { get; init; } = [];
    [JsonPropertyName("characterDetails")] public IReadOnlyList<CharacterDetail> CharacterDetails { get; init; } = [];
    [JsonPropertyName("backgroundMusic")] public string? BackgroundMusic { get; init; }
    public string? CreatedBy { get; init; }
    public string CreatorName { get; init; } = "";
    public string CommentsCount { get; init; } = "0";
}

public sealed record CharacterDetail(string Id, string Name, string? Description, string? ImageUrl, string? IconUrl, string CharacterType);
