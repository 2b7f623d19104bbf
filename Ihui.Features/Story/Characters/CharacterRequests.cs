using System.Text.Json.Serialization;
using Ihui.Features.Story.Shared;
using Ihui.Features.Common.Wallet;
using Mediator;

namespace Ihui.Features.Story.Characters;

/// <summary><c>POST /characters</c>: seed 003's four fields, plus the ones avatar generation fills (all optional).</summary>
public sealed record CreateCharacterRequest : IRequest<CharacterView>, IWalletRequest
{
    [JsonIgnore] public string? AccessToken { get; init; }
    public string? Name { get; init; }
    public string? Avatar { get; init; }
    public string? Personality { get; init; }
    public string? Background { get; init; }
    public string? Description { get; init; }
    public string? ImageUrl { get; init; }
    public string? IconUrl { get; init; }
}

/// <summary><c>GET /characters?page&amp;limit</c>: the caller's characters and the platform's, paged.</summary>
public sealed record ListCharactersRequest(string? AccessToken, string? Page, string? Limit) : IRequest<Page<CharacterView>>, IWalletRequest, IPagedRequest;

/// <summary><c>GET /characters/list</c>: the caller's own characters (a bare list).</summary>
public sealed record MyCharactersRequest(string? AccessToken) : IRequest<IReadOnlyList<CharacterView>>, IWalletRequest;

public sealed record GetCharacterRequest(string? AccessToken, string Id) : IRequest<CharacterView>, IWalletRequest;

/// <summary><c>PUT /characters/{id}</c>: the fields given are changed, the others kept.</summary>
public sealed record UpdateCharacterRequest : IRequest<CharacterView>, IWalletRequest
{
    [JsonIgnore] public string? AccessToken { get; init; }
    [JsonIgnore] public string Id { get; init; } = "";
    public string? Name { get; init; }
    public string? Avatar { get; init; }
    public string? Personality { get; init; }
    public string? Background { get; init; }
    public string? Description { get; init; }
    public string? ImageUrl { get; init; }
    public string? IconUrl { get; init; }
}

public sealed record DeleteCharacterRequest(string? AccessToken, string Id) : IRequest<Unit>, IWalletRequest;

public sealed record GetNarratorRequest(string? AccessToken) : IRequest<CharacterView>, IWalletRequest;

/// <summary>
/// <c>POST /character-avatar/create</c>: a character from what avatar generation produced (its prompt and image URLs).
/// The character's avatar is its image.
/// </summary>
public sealed record CreateFromAvatarRequest : IRequest<CharacterView>, IWalletRequest
{
    [JsonIgnore] public string? AccessToken { get; init; }
    public string? LlmId { get; init; }
    public string? CharacterName { get; init; }
    public string? CharacterDescription { get; init; }
    public string? Personality { get; init; }
    public string? Language { get; init; }
    public string? ImagePrompt { get; init; }
    public string? ImageUrl { get; init; }
    public string? IconUrl { get; init; }
}
