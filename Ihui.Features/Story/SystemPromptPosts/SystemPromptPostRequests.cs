using System.Text.Json.Serialization;
using Ihui.Features.Story.Shared;
using Ihui.Features.Common.Wallet;
using Mediator;

namespace Ihui.Features.Story.SystemPromptPosts;

public sealed record PostView(string Id, string Content, string CreatedAt);

/// <summary><c>POST /system-prompt-posts</c> (no <see cref="Id"/>) or <c>PUT /system-prompt-posts/{id}</c>.</summary>
public sealed record SavePostRequest : IRequest<PostView>, IWalletRequest
{
    [JsonIgnore] public string? AccessToken { get; init; }
    [JsonIgnore] public string? Id { get; init; }
    public string? Content { get; init; }
}

public sealed record ListPostsRequest(string? AccessToken, string? Page, string? Limit) : IRequest<Page<PostView>>, IWalletRequest, IPagedRequest;
public sealed record GetPostRequest(string? AccessToken, string Id) : IRequest<PostView>, IWalletRequest;
public sealed record DeletePostRequest(string? AccessToken, string Id) : IRequest<Unit>, IWalletRequest;
