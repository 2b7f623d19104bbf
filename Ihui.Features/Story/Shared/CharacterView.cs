namespace Ihui.Features.Story.Shared;

/// <summary>A character as seed 003 shows it (its five fields first), with the fields avatar creation adds.</summary>
public sealed record CharacterView(string Id, string Name, string? Avatar, string? Personality, string? Background, string? Description,
    string? ImageUrl, string? IconUrl, string? ImagePrompt, string? Language, string? LlmId, string CharacterType, string CreatedAt, string UpdatedAt)
{
    public static CharacterView From(CharacterRow r) => new(r.Id, r.Name, r.Avatar, r.Personality, r.Background, r.Description, r.ImageUrl,
        r.IconUrl, r.ImagePrompt, r.Language, r.LlmId, r.CharacterType, StoryJson.Time(r.CreatedAt), StoryJson.Time(r.UpdatedAt));
}
