using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Ihui.Tests.Accounts;

public sealed class MalformedInputTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    public static TheoryData<string, string> Bodies => new()
    {
        { "/auth/register", "null" },
        { "/auth/register", "[]" },
        { "/auth/login", "{\"username\":[1],\"password\":\"x\"}" },
        { "/auth/redeem_token", "{\"token_id\":5}" },
        { "/admin/login", "{\"admin\":" },
        { "/admin/add_normal_user", "{\"username\":\"abc\",\"tokens\":{}}" },
        { "/admin/modify_normal_user", "{\"target_user\":\"abc\",\"new_user_info\":\"oops\"}" },
        { "/admin/modify_token", "{\"target_token\":\"x\",\"new_token_limit\":[]}" },
        { "/admin/add_token", "{\"token_name\":\"x\",\"token_limit\":1e400}" },
        { "/admin/delete_token", "" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Malformed_json_is_400_in_the_seed_envelope_never_500(string path, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await app.RootTokenAsync());
        var response = await app.CreateClient().SendAsync(request);
        await AccountsApp.AssertErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Oversized_fields_are_400()
    {
        var big = new string('a', 10_000);
        await AccountsApp.AssertErrorAsync(await app.AdminPostAsync("/admin/add_token", new { token_name = big, token_limit = 1, token_range = "*" }),
            HttpStatusCode.BadRequest, "token_name");
        await AccountsApp.AssertErrorAsync(await app.CreateClient().PostAsync("/auth/login",
            new StringContent($"{{\"username\":\"{big}\",\"password\":\"x\"}}", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "username");
    }

    [Fact]
    public async Task Wrong_methods_are_405()
    {
        var response = await app.CreateClient().GetAsync("/auth/login");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
