using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ihui.Tests.Story;

/// <summary>Characters and published stories for the conversation tests.</summary>
public static class StoryFixtures
{
    public const string NarratorId = "000000000000000000000001";

    public static async Task<JsonElement> Json(HttpResponseMessage r, HttpStatusCode expected)
    {
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == expected, $"{(int)r.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<string> CharacterAsync(Wallet w, string name, string personality = "开朗", string background = "咖啡店常客") =>
        (await Json(await w.Http.PostAsJsonAsync("/api/v1/characters", new { name, personality, background }), HttpStatusCode.Created))
        .GetProperty("id").GetString()!;

    /// <summary>A published story with the given cast (the narrator first) and one opening line by the first character.</summary>
    public static async Task<string> StoryAsync(Wallet w, IReadOnlyList<string> cast, string language = "中文", string template = "free-creation") =>
        (await Json(await w.Http.PostAsJsonAsync("/api/v1/story/publish", new
        {
            template_id = template, template_content = "在高级西餐厅的约会", characters = cast.Prepend(NarratorId).ToArray(), story_name = "晚餐约会",
            opening_messages = new[] { new { content = "在这个温馨的夜晚……", character = NarratorId } }, language,
        }), HttpStatusCode.OK)).GetProperty("id").GetString()!;
}
