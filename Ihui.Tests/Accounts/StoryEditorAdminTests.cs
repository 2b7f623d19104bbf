using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Ihui.Tests.Infrastructure;
using Nethereum.Signer;

namespace Ihui.Tests.Accounts;

/// <summary>An admin grants a signed-in wallet the story platform's editor role, and takes it back.</summary>
public sealed class StoryEditorAdminTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    [Fact]
    public async Task A_granted_wallet_edits_the_catalogs_until_the_grant_is_withdrawn()
    {
        var key = EthECKey.GenerateKey();
        var http = app.CreateClient();
        var address = key.GetPublicAddress();
        var nonce = await IhuiApp.JsonAsync(await http.PostAsJsonAsync("/api/v1/auth/nonce", new { wallet_address = address }));
        var message = nonce.GetProperty("message").GetString()!;
        var login = await IhuiApp.JsonAsync(await http.PostAsJsonAsync("/api/v1/auth/login",
            new { wallet_address = address, signature = new EthereumMessageSigner().EncodeUTF8AndSign(message, key), message }));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsJsonAsync("/api/v1/languages", new { language = "Suomi" })).StatusCode);

        var admin = app.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.RootTokenAsync());
        var grant = await admin.PostAsJsonAsync("/admin/story_editor", new { wallet_address = address.ToLowerInvariant(), is_editor = true });
        Assert.Equal(HttpStatusCode.OK, grant.StatusCode);
        Assert.Equal(0, (await IhuiApp.JsonAsync(grant)).GetProperty("code").GetInt32());
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/api/v1/languages", new { language = "Suomi" })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/admin/story_editor", new { wallet_address = address, is_editor = false })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsJsonAsync("/api/v1/languages", new { language = "Eesti" })).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound,
            (await admin.PostAsJsonAsync("/admin/story_editor", new { wallet_address = EthECKey.GenerateKey().GetPublicAddress(), is_editor = true })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await app.CreateClient().PostAsJsonAsync("/admin/story_editor", new { wallet_address = address, is_editor = true })).StatusCode);
    }
}
