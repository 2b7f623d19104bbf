using System.Net;
using System.Text;
using Ihui.Features.Common.Validation;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Slices;

/// <summary>
/// An inline (data:) image over the limit is refused as "too large" before anything is held or sent, on every route
/// that takes images; a body that stays under the request size limit is what gets this far.
/// </summary>
public sealed class InlineImageLimitTests(TasksApp app) : IClassFixture<TasksApp>
{
    private static readonly string TooLarge = "data:image/png;base64," + new string('A', (CommonRules.MaxInlineImageBytes / 3 + 1) * 4);
    private static readonly string JustFits = "data:image/png;base64," + new string('A', CommonRules.MaxInlineImageBytes / 3 * 4);

    public static TheoryData<string, string> Routes => new()
    {
        { "/cozeZhsApi/dashscope/vision/chat", "{\"prompt\":\"p\",\"image_urls\":[\"IMG\"],\"user_uuid\":\"USER\"}" },
        { "/cozeZhsApi/proxy/doubao-seedream-generation", "{\"prompt\":\"p\",\"images\":[\"IMG\"],\"user_uuid\":\"USER\"}" },
        { "/cozeZhsApi/proxy/doubao-image-edit", "{\"prompt\":\"p\",\"image\":\"IMG\",\"user_uuid\":\"USER\"}" },
        { "/cozeZhsApi/proxy/video-generation", "{\"prompt\":\"p\",\"images\":[\"IMG\"],\"user_uuid\":\"USER\"}" },
        { "/api/v1/dashscope/image/edit/simple", "{\"prompt\":\"p\",\"image_url\":\"IMG\",\"user_uuid\":\"USER\"}" },
        { "/cozeZhsApi/dashscope/image-to-image", "{\"prompt\":\"p\",\"images\":[{\"imgUrl\":\"IMG\"}],\"user_uuid\":\"USER\"}" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task An_inline_image_over_the_limit_is_400_too_large_and_nothing_is_held_or_sent(string route, string body)
    {
        var user = await app.CreateUserAsync(1_000_000);
        var vendorCalls = app.Ark.Requests.Count + app.DashScopeTasks.Requests.Count;

        var response = await app.CreateClient().PostAsync(route,
            new StringContent(body.Replace("USER", user.Id).Replace("IMG", TooLarge), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("too large", (await IhuiApp.JsonAsync(response)).GetProperty("msg").GetString());
        Assert.Equal(vendorCalls, app.Ark.Requests.Count + app.DashScopeTasks.Requests.Count);
        Assert.Equal(1_000_000, await app.LedgerSumAsync(user.Id));
        Assert.Equal(0, await app.HoldCountAsync(user.Id));
    }

    [Fact]
    public void The_limit_is_on_the_decoded_size()
    {
        Assert.False(CommonRules.FitsInlineLimit(TooLarge));
        Assert.True(CommonRules.FitsInlineLimit(JustFits));
        Assert.True(CommonRules.FitsInlineLimit("https://example.com/a.png"));
    }
}
