using System.Net;
using System.Net.Http.Json;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Accounts;

public sealed class RedeemCodeTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    private readonly HttpClient _http = app.CreateClient();

    private async Task<string> AddCodeAsync(string name, object limit, string range)
    {
        var json = await AccountsApp.AssertOkAsync(
            await app.AdminPostAsync("/admin/add_token", new { token_name = name, token_limit = limit, token_range = range }), "创建令牌成功");
        var id = json.GetProperty("token_id").GetString()!;
        Assert.Equal(32, id.Length);
        return id;
    }

    private async Task<string> UserAsync(string? academy)
    {
        var name = AccountsApp.Unique();
        var r = await _http.PostAsJsonAsync("/auth/register", new { username = name, password = "Secret-123", email = "a@b.cn", academy });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return await app.ScalarAsync<string>("SELECT id FROM users WHERE username = @name", new { name });
    }

    private Task<HttpResponseMessage> RedeemAsync(string tokenId, string userId, string? academy = null, string route = "/auth/redeem_token") =>
        _http.PostAsJsonAsync(route, new { token_id = tokenId, user_id = userId, user_academy = academy });

    [Fact]
    public async Task Redeeming_credits_the_amount_once_as_a_ledger_row()
    {
        var code = await AddCodeAsync(AccountsApp.Unique("code"), "300", "计算机学院");
        var user = await UserAsync("计算机学院");

        await AccountsApp.AssertOkAsync(await RedeemAsync(code, user, "计算机学院"), "兑换令牌成功");
        Assert.Equal(800, await app.BalanceAsync(user));
        Assert.Equal([(500L, "grant"), (300L, "redeem")], await app.LedgerAsync(user));

        await AccountsApp.AssertErrorAsync(await RedeemAsync(code, user, "计算机学院"), HttpStatusCode.Conflict, "already been used");
        var other = await UserAsync("计算机学院");
        await AccountsApp.AssertErrorAsync(await RedeemAsync(code, other), HttpStatusCode.Conflict);
        Assert.Equal(800, await app.BalanceAsync(user));
        Assert.Equal(500, await app.BalanceAsync(other));
    }

    [Fact]
    public async Task The_seeds_literal_path_admin_delete_token_with_a_token_id_body_redeems()
    {
        var code = await AddCodeAsync(AccountsApp.Unique("code"), 25, "*");
        var user = await UserAsync(null);
        await AccountsApp.AssertOkAsync(await RedeemAsync(code, user, route: "/admin/delete_token"), "兑换令牌成功");
        Assert.Equal(525, await app.BalanceAsync(user));
    }

    [Fact]
    public async Task Only_users_of_the_codes_academy_may_redeem_and_a_claimed_academy_must_be_the_users_own()
    {
        var code = await AddCodeAsync(AccountsApp.Unique("code"), 50, "文学院");
        var outsider = await UserAsync("理学院");
        await AccountsApp.AssertErrorAsync(await RedeemAsync(code, outsider), HttpStatusCode.Forbidden, "academy");
        // Claiming the right academy in the body does not help: the stored academy decides.
        await AccountsApp.AssertErrorAsync(await RedeemAsync(code, outsider, "文学院"), HttpStatusCode.Forbidden, "user_academy");
        Assert.Equal(500, await app.BalanceAsync(outsider));

        var member = await UserAsync("文学院");
        await AccountsApp.AssertOkAsync(await RedeemAsync(code, member, "文学院"), "兑换令牌成功");
    }

    [Fact]
    public async Task A_disabled_code_is_refused_until_enabled_again_and_modify_token_changes_its_range()
    {
        var name = AccountsApp.Unique("code");
        var code = await AddCodeAsync(name, 10, "文学院");
        var user = await UserAsync("法学院");

        await AccountsApp.AssertOkAsync(await app.AdminGetAsync($"/admin/control_token?is_available=0&token_name={name}"), $"{name} 禁用成功");
        await AccountsApp.AssertOkAsync(await app.AdminPostAsync("/admin/modify_token",
            new { target_token = name, new_token_limit = new { new_token_range = "法学院" } }), "令牌修改成功");
        await AccountsApp.AssertErrorAsync(await RedeemAsync(code, user), HttpStatusCode.Forbidden, "disabled");

        await AccountsApp.AssertOkAsync(await app.AdminGetAsync($"/admin/control_token?is_available=1&token_name={name}"), $"{name} 启用成功");
        await AccountsApp.AssertOkAsync(await RedeemAsync(code, user), "兑换令牌成功");
        // Setting what is already set is not an error (MySQL reports 0 changed rows for it).
        await AccountsApp.AssertOkAsync(await app.AdminGetAsync($"/admin/control_token?is_available=1&token_name={name}"), $"{name} 启用成功");
        await AccountsApp.AssertOkAsync(await app.AdminPostAsync("/admin/modify_token",
            new { target_token = name, new_token_limit = new { new_token_range = "法学院" } }), "令牌修改成功");
        await AccountsApp.AssertErrorAsync(await app.AdminGetAsync($"/admin/control_token?is_available=1&token_name={AccountsApp.Unique()}"),
            HttpStatusCode.NotFound);
        Assert.Equal(510, await app.BalanceAsync(user));

        Assert.Equal(3, (await app.AuditAsync("control_token")).Count(a => a.Target == name));
        Assert.Contains(await app.AuditAsync("modify_token"), a => a.Target == name);
        Assert.Contains(await app.AuditAsync("add_token"), a => a.Target == name);
    }

    [Fact]
    public async Task Modify_token_can_disable_and_rejects_bad_values()
    {
        var name = AccountsApp.Unique("code");
        var code = await AddCodeAsync(name, 10, "*");
        await AccountsApp.AssertOkAsync(await app.AdminPostAsync("/admin/modify_token",
            new { target_token = name, new_token_limit = new { new_token_is_available = 0 } }), "令牌修改成功");
        await AccountsApp.AssertErrorAsync(await RedeemAsync(code, await UserAsync(null)), HttpStatusCode.Forbidden, "disabled");
        await AccountsApp.AssertErrorAsync(await app.AdminPostAsync("/admin/modify_token",
            new { target_token = name, new_token_limit = new { new_token_is_available = 7 } }), HttpStatusCode.BadRequest);
        await AccountsApp.AssertErrorAsync(await app.AdminPostAsync("/admin/modify_token",
            new { target_token = AccountsApp.Unique(), new_token_limit = new { new_token_range = "x" } }), HttpStatusCode.NotFound);
        await AccountsApp.AssertErrorAsync(await app.AdminGetAsync($"/admin/control_token?is_available=2&token_name={name}"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Concurrent_redemptions_of_one_code_succeed_exactly_once()
    {
        var code = await AddCodeAsync(AccountsApp.Unique("code"), 1000, "*");
        var users = new List<string>();
        for (var i = 0; i < 6; i++) users.Add(await UserAsync("any"));

        // Each user tries several times at once; the code must pay out once in total.
        var attempts = users.SelectMany(u => Enumerable.Repeat(u, 3)).Select(u => RedeemAsync(code, u)).ToList();
        var responses = await Task.WhenAll(attempts);

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        var total = 0L;
        foreach (var u in users)
        {
            Assert.Equal(await app.BalanceAsync(u), await app.LedgerSumAsync(u));
            total += await app.BalanceAsync(u);
        }
        Assert.Equal(users.Count * 500 + 1000, total);
        Assert.Equal(1L, await app.ScalarAsync<long>("SELECT COUNT(*) FROM ledger WHERE kind = 'redeem' AND call_id = @code", new { code }));
    }

    [Fact]
    public async Task Unknown_codes_unknown_users_and_missing_fields()
    {
        var user = await UserAsync(null);
        await AccountsApp.AssertErrorAsync(await RedeemAsync("0123456789abcdef0123456789abcdef", user), HttpStatusCode.NotFound);
        var code = await AddCodeAsync(AccountsApp.Unique("code"), 5, "*");
        await AccountsApp.AssertErrorAsync(await RedeemAsync(code, Guid.NewGuid().ToString()), HttpStatusCode.Unauthorized);
        await AccountsApp.AssertErrorAsync(await _http.PostAsJsonAsync("/auth/redeem_token", new { token_id = code }), HttpStatusCode.Unauthorized);
        await AccountsApp.AssertErrorAsync(await _http.PostAsJsonAsync("/auth/redeem_token", new { user_id = user }), HttpStatusCode.BadRequest, "token_id");
    }

    [Fact]
    public async Task Add_and_delete_token_validate_and_audit()
    {
        var name = AccountsApp.Unique("code");
        await AddCodeAsync(name, 5, "*");
        await AccountsApp.AssertErrorAsync(await app.AdminPostAsync("/admin/add_token", new { token_name = name, token_limit = 5, token_range = "*" }),
            HttpStatusCode.Conflict);
        await AccountsApp.AssertErrorAsync(await app.AdminPostAsync("/admin/add_token", new { token_name = AccountsApp.Unique(), token_limit = 0, token_range = "*" }),
            HttpStatusCode.BadRequest, "token_limit");
        await AccountsApp.AssertErrorAsync(await app.AdminPostAsync("/admin/add_token", new { token_name = AccountsApp.Unique(), token_limit = "lots", token_range = "*" }),
            HttpStatusCode.BadRequest);

        await AccountsApp.AssertOkAsync(await app.AdminPostAsync("/admin/delete_token", new { target_token = name }), $"{name} 删除成功");
        await AccountsApp.AssertErrorAsync(await app.AdminPostAsync("/admin/delete_token", new { target_token = name }), HttpStatusCode.NotFound);
        Assert.Contains(await app.AuditAsync("delete_token"), a => a.Target == name);
        // Deleting is an admin action: without a token it is refused.
        await AccountsApp.AssertErrorAsync(await _http.PostAsJsonAsync("/admin/delete_token", new { target_token = name }), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_burst_of_admin_writes_and_redemptions_all_commit_and_a_refused_one_rolls_back_alone()
    {
        var codes = new List<string>();
        for (var i = 0; i < 6; i++) codes.Add(await AddCodeAsync(AccountsApp.Unique("burst"), 100, "*"));
        var users = new List<string>();
        for (var i = 0; i < 6; i++) users.Add(await UserAsync(null));
        var toggled = AccountsApp.Unique("toggle");
        await AddCodeAsync(toggled, 100, "*");
        var twice = AccountsApp.Unique("twice");
        var (adds, controls) = ((await app.AuditAsync("add_token")).Count, (await app.AuditAsync("control_token")).Count);

        // Redemptions, new codes (two with one name), disable/enable and a bad control, all at once.
        var burst = new List<Task<HttpResponseMessage>>();
        burst.AddRange(codes.Select((code, i) => RedeemAsync(code, users[i])));
        burst.AddRange(Enumerable.Range(0, 4).Select(_ => app.AdminPostAsync("/admin/add_token",
            new { token_name = AccountsApp.Unique("new"), token_limit = 5, token_range = "*" })));
        burst.AddRange(Enumerable.Range(0, 2).Select(_ => app.AdminPostAsync("/admin/add_token",
            new { token_name = twice, token_limit = 5, token_range = "*" })));
        burst.AddRange(Enumerable.Range(0, 4).Select(i => app.AdminGetAsync($"/admin/control_token?is_available={i % 2}&token_name={toggled}")));
        burst.Add(app.AdminGetAsync($"/admin/control_token?is_available=1&token_name={AccountsApp.Unique("missing")}"));
        var responses = await Task.WhenAll(burst);

        Assert.All(responses.Take(6), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(responses.Skip(6).Take(4), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Skip(10).Take(2).Select(r => r.StatusCode).Order());
        Assert.All(responses.Skip(12).Take(4), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(HttpStatusCode.NotFound, responses[16].StatusCode);

        foreach (var u in users)
        {
            Assert.Equal(600, await app.BalanceAsync(u));
            Assert.Equal(600, await app.LedgerSumAsync(u));
        }
        Assert.Equal(1L, await app.ScalarAsync<long>("SELECT COUNT(*) FROM redeem_codes WHERE name = @twice", new { twice }));
        // One audit row per committed change: the refused add and the unknown code left none.
        Assert.Equal(adds + 5, (await app.AuditAsync("add_token")).Count);
        Assert.Equal(controls + 4, (await app.AuditAsync("control_token")).Count);
    }
}
