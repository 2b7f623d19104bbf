using System.Net;
using System.Net.Http.Json;
using Ihui.Tests.Accounts;
using Ihui.Tests.Infrastructure;
using Ihui.Tests.Story;

namespace Ihui.Tests.Data;

/// <summary>
/// Identifiers, keys and tokens are exact on both stores (case and trailing spaces count), and so are usernames:
/// <c>alice</c> and <c>Alice</c> are two accounts. On MariaDB's default collations the opposite held.
/// </summary>
public sealed class IdentityTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    private readonly HttpClient _http = app.CreateClient();

    private static string[] Variants(string id) => [id.ToUpperInvariant(), id + " ", id + "  ", " " + id];

    private Task<HttpResponseMessage> VisionAsync(string userUuid, bool inQuery = false) =>
        _http.PostAsJsonAsync("/cozeZhsApi/dashscope/vision/chat" + (inQuery ? "?user_uuid=" + Uri.EscapeDataString(userUuid) : ""),
            new { prompt = "what is here?", image_urls = new[] { "https://example.com/a.png" }, model = "qwen-vl-max", user_uuid = inQuery ? null : userUuid });

    [Fact]
    public async Task An_upper_cased_or_space_padded_user_uuid_is_401_and_charges_nothing()
    {
        var user = await app.CreateUserAsync(100_000);
        Assert.Equal(HttpStatusCode.OK, (await VisionAsync(user.Id)).StatusCode);
        var balance = await app.BalanceAsync(user.Id);
        Assert.True(balance < 100_000);

        foreach (var variant in Variants(user.Id))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await VisionAsync(variant)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await VisionAsync(variant, inQuery: true)).StatusCode);
        }
        Assert.Equal(balance, await app.BalanceAsync(user.Id));
        Assert.Equal(balance, await app.LedgerSumAsync(user.Id));
    }

    [Fact]
    public async Task Alice_and_alice_are_two_accounts_and_each_logs_in_only_by_its_own_name()
    {
        var stem = AccountsApp.Unique("alice");
        var (lower, upper) = (stem, "A" + stem[1..]);
        foreach (var name in new[] { lower, upper })
            Assert.Equal(HttpStatusCode.OK, (await _http.PostAsJsonAsync("/auth/register",
                new { username = name, password = "Secret-123", email = "a@b.cn" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _http.PostAsJsonAsync("/auth/register",
            new { username = upper, password = "Secret-123", email = "a@b.cn" })).StatusCode);

        async Task<string?> LoginAsync(string name)
        {
            var r = await _http.PostAsJsonAsync("/auth/login", new { username = name, password = "Secret-123" });
            return r.StatusCode == HttpStatusCode.OK ? (await IhuiApp.JsonAsync(r)).GetProperty("uuid").GetString() : null;
        }
        var (a, b) = (await LoginAsync(lower), await LoginAsync(upper));
        Assert.NotNull(a);
        Assert.NotNull(b);
        Assert.NotEqual(a, b);
        Assert.Null(await LoginAsync(stem.ToUpperInvariant()));

        // The admin console finds each by its exact name only.
        Assert.Equal(HttpStatusCode.OK, (await app.AdminGetAsync($"/admin/query_table_data?table=users&target_name={upper}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.AdminGetAsync($"/admin/query_table_data?table=users&target_name={stem.ToUpperInvariant()}")).StatusCode);
    }

    [Fact]
    public async Task A_redeem_code_upper_cased_or_padded_redeems_nothing()
    {
        var json = await AccountsApp.AssertOkAsync(await app.AdminPostAsync("/admin/add_token",
            new { token_name = AccountsApp.Unique("code"), token_limit = 300, token_range = "*" }), "创建令牌成功");
        var code = json.GetProperty("token_id").GetString()!;
        var user = await app.CreateUserAsync(0);

        foreach (var variant in Variants(code))
            Assert.Equal(HttpStatusCode.NotFound, (await _http.PostAsJsonAsync("/auth/redeem_token", new { token_id = variant, user_id = user.Id })).StatusCode);
        foreach (var variant in Variants(user.Id))
            Assert.Equal(HttpStatusCode.Unauthorized, (await _http.PostAsJsonAsync("/auth/redeem_token", new { token_id = code, user_id = variant })).StatusCode);
        Assert.Equal(0, await app.BalanceAsync(user.Id));
        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsJsonAsync("/auth/redeem_token", new { token_id = code, user_id = user.Id })).StatusCode);
        Assert.Equal(300, await app.BalanceAsync(user.Id));
    }

    [Fact]
    public async Task An_upper_cased_api_key_is_401()
    {
        var user = await app.CreateUserAsync(1000);
        var created = await IhuiApp.JsonAsync(await _http.PostAsJsonAsync("/api/keys", new { user_uuid = user.Id, name = "exact" }));
        var key = created.GetProperty("data").GetProperty("key").GetString()!;
        var body = new { model = "no-such-model", messages = new[] { new { role = "user", content = "hi" } } };

        async Task<HttpStatusCode> CallAsync(string bearer)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(body) };
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + bearer);
            return (await _http.SendAsync(request)).StatusCode;
        }
        Assert.Equal(HttpStatusCode.BadRequest, await CallAsync(key)); // past auth: the model is what is wrong
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(key.ToUpperInvariant()));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync("SK-" + key[3..]));
    }
}

public sealed class WalletTokenIdentityTests(StoryApp app) : IClassFixture<StoryApp>
{
    [Fact]
    public async Task An_upper_cased_paw_token_is_401()
    {
        var w = await app.NewWalletAsync();
        Assert.Equal(HttpStatusCode.OK, (await w.Http.GetAsync("/api/v1/characters")).StatusCode);
        foreach (var variant in new[] { w.Token.ToUpperInvariant(), "PAW_" + w.Token[4..] })
        {
            var http = app.CreateClient();
            http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + variant);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/characters")).StatusCode);
        }
    }
}
