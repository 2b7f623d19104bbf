using System.Text.Json;
using System.Text.Json.Serialization;
using Ihui.Features.Common.Wallet;
using Mediator;

namespace Ihui.Features.Story.Catalogs;

public sealed record LanguageView(string Id, string Language, string CreatedAt);
public sealed record ListLanguagesRequest(string? AccessToken) : IRequest<IReadOnlyList<LanguageView>>, IWalletRequest;
public sealed record GetLanguageRequest(string? AccessToken, string Id) : IRequest<LanguageView>, IWalletRequest;
public sealed record DeleteLanguageRequest(string? AccessToken, string Id) : IRequest<Unit>, IPlatformEditorRequest;

/// <summary><c>POST /languages</c> (no <see cref="Id"/>) or <c>PUT /languages/{id}</c>.</summary>
public sealed record SaveLanguageRequest : IRequest<LanguageView>, IPlatformEditorRequest
{
    [JsonIgnore] public string? AccessToken { get; init; }
    [JsonIgnore] public string? Id { get; init; }
    public string? Language { get; init; }
}

public sealed record MusicView(string Id, string Name, string Url, string Type, string CreatedAt, string UpdatedAt);
public sealed record ListMusicRequest(string? AccessToken, string? Type) : IRequest<IReadOnlyList<MusicView>>, IWalletRequest;
public sealed record MusicTypesRequest(string? AccessToken) : IRequest<IReadOnlyList<string>>, IWalletRequest;
public sealed record GetMusicRequest(string? AccessToken, string Id) : IRequest<MusicView>, IWalletRequest;
public sealed record DeleteMusicRequest(string? AccessToken, string Id) : IRequest<Unit>, IPlatformEditorRequest;

/// <summary><c>POST /music</c> (all three fields) or <c>PUT /music/{id}</c> (the fields given).</summary>
public sealed record SaveMusicRequest : IRequest<MusicView>, IPlatformEditorRequest
{
    [JsonIgnore] public string? AccessToken { get; init; }
    [JsonIgnore] public string? Id { get; init; }
    public string? Name { get; init; }
    public string? Url { get; init; }
    public string? Type { get; init; }
}

/// <summary>A story template as seed 003 shows it; <c>hiddenPrompt</c> is shown to platform editors only.</summary>
public sealed record TemplateView(string Id, string Name, string? Thumbnail, string? Introduction, JsonElement? Components,
    [property: JsonPropertyName("maxCharacters")] int MaxCharacters, [property: JsonPropertyName("hiddenPrompt")] string? HiddenPrompt,
    string Status, string CreatedAt, string UpdatedAt);

public sealed record ListTemplatesRequest(string? AccessToken, string? Status) : IRequest<IReadOnlyList<TemplateView>>, IWalletRequest;
public sealed record GetTemplateRequest(string? AccessToken, string Id) : IRequest<TemplateView>, IWalletRequest;
public sealed record DeleteTemplateRequest(string? AccessToken, string Id) : IRequest<Unit>, IPlatformEditorRequest;

/// <summary><c>POST /story-templates</c> (its <c>id</c> optional: one is made) or <c>PUT /story-templates/{id}</c>.</summary>
public sealed record SaveTemplateRequest : IRequest<TemplateView>, IPlatformEditorRequest
{
    [JsonIgnore] public string? AccessToken { get; init; }
    [JsonIgnore] public bool Creating { get; init; }
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? Thumbnail { get; init; }
    public string? Introduction { get; init; }
    public JsonElement? Components { get; init; }
    [JsonPropertyName("maxCharacters")] public int? MaxCharacters { get; init; }
    [JsonPropertyName("hiddenPrompt")] public string? HiddenPrompt { get; init; }
    public string? Status { get; init; }
}

public sealed record ArtStyleView(string Id, string Name, string Keyword, string? Description, string? Thumbnail, string Status, string CreatedAt);
public sealed record ListArtStylesRequest(string? AccessToken, string? Status) : IRequest<IReadOnlyList<ArtStyleView>>, IWalletRequest;

public sealed record PromptTemplateView(string Id, string Type, string Name, string Content, string CreatedAt, string UpdatedAt);
public sealed record GetPromptTemplateRequest(string? AccessToken, string Type) : IRequest<PromptTemplateView>, IWalletRequest;
