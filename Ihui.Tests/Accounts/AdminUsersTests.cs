using System.Net;
using System.Net.Http.Json;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Accounts;

public sealed class AdminUsersTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    private readonly HttpClient _http = app.CreateClient();

    private async Task<string> AddUserAsync(string name, long tokens = 100, int pictimes = 2, string academy = "理学院")
    {
        await AccountsApp.AssertOkAsync(await app.AdminPostAsync("/admin/add_normal_user",
            new { username = name, password = "Secret-123", tokens, email = "x@y.cn", pictimes, academy }), "添加用户成功");
        return await app.ScalarAsync<string>("SELECT id FROM users WHERE username = @name", new { name });
    }

    [Fact]
    public async Task Add_normal_user_grants_the_tokens_on_the_ledger_and_is_audited()
    {
        var name = AccountsApp.Unique();
        var id = await AddUserAsync(name, tokens: 1234, pictimes: 7);

        var login = await AccountsApp.AssertOkAsync(await _http.PostAsJsonAsync("/auth/login", new { username = name, password = "Secret-123" }), "用户登录成功");
        Assert.Equal(1234, login.GetProperty("tokens").GetInt64());
        Assert.Equal(7, login.GetProperty("picTimes").GetInt32());
        Assert.Equal([(1234L, "grant")], await app.LedgerAsync(id));
        Assert.Contains(await app.AuditAsync("add_normal_user"), a => a.Target == name && a.Admin == AccountsApp.RootAdmin);

        await AccountsApp.AssertErrorAsync(await app.AdminPostAsync("/admin/add_normal_user",
            new { username = name, password = "Secret-123", tokens = 1, email = "x@y.cn", pictimes = 0, academy = "a" }), HttpStatusCode.Conflict);
        await AccountsApp.AssertErrorAsync(await app.AdminPostAsync("/admin/add_normal_user",
            new { username = AccountsApp.Unique(), password = "Secret-123", tokens = -5, email = "x@y.cn" }), HttpStatusCode.BadRequest, "tokens");
    }

    [Fact]
    public async Task Numbers_sent_as_strings_are_accepted_as_the_seed_shows_them()
    {
        var name = AccountsApp.Unique();
        await AccountsApp.AssertOkAsync(await app.AdminPostAsync("/admin/add_normal_user",
            new { username = name, password = "Secret-123", tokens = "40", email = "x@y.cn", pictimes = "1", academy = "理学院" }), "添加用户成功");
        Assert.Equal(40, await app.ScalarAsync<long>("SELECT balance FROM users WHERE username = @name", new { name }));
    }

    [Fact]
    public async Task Setting_tokens_writes_one_admin_adjust_row_of_the_difference_never_an_overwrite()
    {
        var name = AccountsApp.Unique();
        var id = await AddUserAsync(name, tokens: 100);

        await AccountsApp.AssertOkAsync(await app.AdminPostAsync("/admin/modify_normal_user",
            new { target_user = name, new_user_info = new { new_tokens = 250, new_pictimes = 9, new_academy = "文学院", new_email = "new@y.cn" } }),
            "修改用户信息成功");
        Assert.Equal(250, await app.BalanceAsync(id));
        Assert.Equal([(100L, "grant"), (150L, "admin_adjust")], await app.LedgerAsync(id));

        await AccountsApp.AssertOkAsync(await app.AdminPostAsync("/admin/modify_normal_user",
            new { target_user = name, new_user_info = new { new_tokens = 40 } }), "修改用户信息成功");
        // The same balance again changes nothing and writes no ledger row.
        await AccountsApp.AssertOkAsync(await app.AdminPostAsync("/admin/modify_normal_user",
            new { target_user = name, new_user_info = new { new_tokens = 40, new_academy = "文学院" } }), "修改用户信息成功");
        Assert.Equal(40, await app.BalanceAsync(id));
        Assert.Equal(40, await app.LedgerSumAsync(id));
        Assert.Equal((-210L, "admin_adjust"), (await app.LedgerAsync(id)).Last());

        Assert.Equal(9, await app.ScalarAsync<int>("SELECT pic_times FROM users WHERE id = @id", new { id }));
        Assert.Equal("文学院", await app.ScalarAsync<string>("SELECT academy FROM users WHERE id = @id", new { id }));
        Assert.Equal(3, (await app.AuditAsync("modify_normal_user")).Count(a => a.Target == name));
        Assert.Equal(3, (await app.LedgerAsync(id)).Count);
    }

    [Fact]
    public async Task A_user_spending_while_an_admin_sets_the_balance_keeps_the_ledger_consistent()
    {
        var name = AccountsApp.Unique();
        var id = await AddUserAsync(name, tokens: 10_000);
        var ledger = app.Services.GetService(typeof(Ihui.Features.Common.Billing.Ledger)) as Ihui.Features.Common.Billing.Ledger;
        var spend = Enumerable.Range(0, 10).Select(i => ledger!.ReserveAsync(id, $"call-{name}-{i}", 100));
        var adjust = Enumerable.Range(0, 5).Select(i => app.AdminPostAsync("/admin/modify_normal_user",
            new { target_user = name, new_user_info = new { new_tokens = 5_000 + i } }));
        await Task.WhenAll(spend);
        foreach (var r in await Task.WhenAll(adjust)) Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal(await app.BalanceAsync(id), await app.LedgerSumAsync(id));
    }

    [Fact]
    public async Task Modify_errors_unknown_user_taken_name_nothing_to_change_weak_password()
    {
        var a = AccountsApp.Unique();
        var b = AccountsApp.Unique();
        await AddUserAsync(a);
        await AddUserAsync(b);
        await AccountsApp.AssertErrorAsync(await app.AdminPostAsync("/admin/modify_normal_user",
            new { target_user = AccountsApp.Unique(), new_user_info = new { new_tokens = 1 } }), HttpStatusCode.NotFound);
        await AccountsApp.AssertErrorAsync(await app.AdminPostAsync("/admin/modify_normal_user",
            new { target_user = a, new_user_info = new { new_username = b } }), HttpStatusCode.Conflict, "already taken");
        await AccountsApp.AssertErrorAsync(await app.AdminPostAsync("/admin/modify_normal_user",
            new { target_user = a, new_user_info = new { } }), HttpStatusCode.BadRequest, "at least one field");
        await AccountsApp.AssertErrorAsync(await app.AdminPostAsync("/admin/modify_normal_user",
            new { target_user = a, new_user_info = new { new_password = "weak" } }), HttpStatusCode.BadRequest, "new_password");
    }

    [Fact]
    public async Task Rename_and_new_password_take_effect_for_login()
    {
        var name = AccountsApp.Unique();
        var renamed = AccountsApp.Unique();
        await AddUserAsync(name);
        await AccountsApp.AssertOkAsync(await app.AdminPostAsync("/admin/modify_normal_user",
            new { target_user = name, new_user_info = new { new_username = renamed, new_password = "Changed-456" } }), "修改用户信息成功");
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.PostAsJsonAsync("/auth/login", new { username = name, password = "Secret-123" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsJsonAsync("/auth/login", new { username = renamed, password = "Changed-456" })).StatusCode);
    }

    [Fact]
    public async Task Deleting_a_user_closes_the_account_keeps_the_ledger_and_frees_the_name()
    {
        var name = AccountsApp.Unique();
        var id = await AddUserAsync(name, tokens: 77);
        await AccountsApp.AssertOkAsync(await app.AdminPostAsync("/admin/delete_normal_user", new { target_username = name }), $"{name}用户删除成功");

        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.PostAsJsonAsync("/auth/login", new { username = name, password = "Secret-123" })).StatusCode);
        Assert.Equal(77, await app.LedgerSumAsync(id));
        Assert.Contains(await app.AuditAsync("delete_normal_user"), a => a.Target == name);
        // The uuid no longer authenticates seed-000 style calls either.
        Assert.Equal(-1, await app.ScalarAsync<int>("SELECT status FROM users WHERE id = @id", new { id }));
        await AccountsApp.AssertErrorAsync(await app.AdminPostAsync("/admin/delete_normal_user", new { target_username = name }), HttpStatusCode.NotFound);
        await AddUserAsync(name);
    }

    [Fact]
    public async Task Admin_crud_with_audit_duplicate_and_self_delete_refused()
    {
        var name = AccountsApp.Unique("adm");
        var renamed = AccountsApp.Unique("adm");
        await AccountsApp.AssertOkAsync(await app.AdminPostAsync("/admin/add_admin", new { admin = name, password = "Admin-pass-1" }), "添加管理员成功");
        await AccountsApp.AssertErrorAsync(await app.AdminPostAsync("/admin/add_admin", new { admin = name, password = "Admin-pass-1" }), HttpStatusCode.Conflict);
        await AccountsApp.AssertErrorAsync(await app.AdminPostAsync("/admin/add_admin", new { admin = AccountsApp.Unique("adm"), password = "" }),
            HttpStatusCode.BadRequest, "password");

        await AccountsApp.AssertOkAsync(await app.AdminPostAsync("/admin/modify_admin", new { target_admin = name, new_name = renamed }), "修改用户信息成功");
        var (token, _) = await app.AdminLoginAsync(renamed, "Admin-pass-1");
        await AccountsApp.AssertErrorAsync(await app.AdminPostAsync("/admin/delete_admin", new { target_admin = renamed }, token),
            HttpStatusCode.Conflict, "signed in");
        await AccountsApp.AssertErrorAsync(await app.AdminPostAsync("/admin/modify_admin", new { target_admin = AccountsApp.Unique() , new_name = "zz9" }),
            HttpStatusCode.NotFound);

        await AccountsApp.AssertOkAsync(await app.AdminPostAsync("/admin/delete_admin", new { target_admin = renamed }), $"{renamed} 删除成功");
        await AccountsApp.AssertErrorAsync(await app.AdminPostAsync("/admin/delete_admin", new { target_admin = renamed }), HttpStatusCode.NotFound);

        Assert.Contains(await app.AuditAsync("add_admin"), a => a.Target == name);
        Assert.Contains(await app.AuditAsync("modify_admin"), a => a.Target == name);
        Assert.Contains(await app.AuditAsync("delete_admin"), a => a.Target == renamed && a.Admin == AccountsApp.RootAdmin);
        var hash = await app.ScalarAsync<string>("SELECT password_hash FROM admins WHERE name = @n", new { n = AccountsApp.RootAdmin });
        Assert.DoesNotContain(AccountsApp.RootPassword, hash);
    }
}
