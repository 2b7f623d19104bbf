using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Ihui.Features.Common.Admin;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Accounts;

public sealed class AdminAuthTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    private readonly HttpClient _http = app.CreateClient();

    private async Task<HttpResponseMessage> RefreshAsync(string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/refresh");
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _http.SendAsync(request);
    }

    private Task<HttpResponseMessage> ProtectedAsync(string token) => app.AdminGetAsync("/admin/query_table_count?table=users", token);

    [Fact]
    public async Task Login_answers_seed_002s_shape_with_masked_app_keys()
    {
        var json = await AccountsApp.AssertOkAsync(
            await _http.PostAsJsonAsync("/admin/login", new { admin = AccountsApp.RootAdmin, password = AccountsApp.RootPassword }), "管理员登录成功");
        var access = json.GetProperty("access_token").GetString()!;
        var refresh = json.GetProperty("refresh_token").GetString()!;
        Assert.Equal(3, access.Split('.').Length);
        Assert.NotEqual(access, refresh);
        var info = json.GetProperty("app_info");
        Assert.Equal("app-123", info.GetProperty("app_id").GetString());
        Assert.Equal("****cdef", info.GetProperty("api_key").GetString());
        Assert.Equal("****cdef", info.GetProperty("api_secret").GetString());
        Assert.DoesNotContain(AccountsApp.XfyunSecret, json.GetRawText());
        Assert.DoesNotContain(AccountsApp.XfyunKey, json.GetRawText());

        Assert.Equal(HttpStatusCode.OK, (await ProtectedAsync(access)).StatusCode);
        Assert.Contains(await app.AuditAsync("login"), a => a.Admin == AccountsApp.RootAdmin);
    }

    [Fact]
    public async Task Wrong_admin_password_is_401_and_repeated_failures_are_429()
    {
        var name = AccountsApp.Unique("adm");
        await AccountsApp.AssertOkAsync(await app.AdminPostAsync("/admin/add_admin", new { admin = name, password = "Admin-pass-1" }), "添加管理员成功");
        for (var i = 0; i < AccountsApp.MaxFailures; i++)
            await AccountsApp.AssertErrorAsync(await _http.PostAsJsonAsync("/admin/login", new { admin = name, password = "nope-1234" }),
                HttpStatusCode.Unauthorized, "invalid admin name or password");
        var refused = await _http.PostAsJsonAsync("/admin/login", new { admin = name, password = "Admin-pass-1" });
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single()), 1, 60); // what is left of LOGIN_LOCKOUT_SECONDS
        await AccountsApp.AssertErrorAsync(refused, HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Refresh_token_buys_a_new_access_token_but_is_not_itself_an_access_token()
    {
        var (access, refresh) = await app.AdminLoginAsync(AccountsApp.RootAdmin, AccountsApp.RootPassword);

        var json = await AccountsApp.AssertOkAsync(await RefreshAsync(refresh), "刷新令牌成功");
        var fresh = json.GetProperty("access_token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await ProtectedAsync(fresh)).StatusCode);

        await AccountsApp.AssertErrorAsync(await ProtectedAsync(refresh), HttpStatusCode.Unauthorized, "invalid or expired admin access token");
        await AccountsApp.AssertErrorAsync(await RefreshAsync(access), HttpStatusCode.Unauthorized, "refresh token");
        await AccountsApp.AssertErrorAsync(await RefreshAsync(null), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Admin_routes_without_a_token_are_401()
    {
        var anonymous = await _http.GetAsync("/admin/query_table?table=users");
        await AccountsApp.AssertErrorAsync(anonymous, HttpStatusCode.Unauthorized, "Authorization: Bearer");
        await AccountsApp.AssertErrorAsync(await _http.PostAsJsonAsync("/admin/add_admin", new { admin = "x1", password = "Admin-pass-1" }),
            HttpStatusCode.Unauthorized);
        using var basic = new HttpRequestMessage(HttpMethod.Get, "/admin/query_table_count?table=users");
        basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", "cm9vdDpSb290LXBhc3MtMjAyNA==");
        await AccountsApp.AssertErrorAsync(await _http.SendAsync(basic), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Expired_forged_tampered_and_unsigned_tokens_are_401()
    {
        var root = (await app.Admins.FindByNameAsync(AccountsApp.RootAdmin))!;

        var expired = new AdminTokens(app.JwtOptions, new ShiftedClock(TimeSpan.FromDays(-1))).Issue(root, TokenUse.Access);
        await AccountsApp.AssertErrorAsync(await ProtectedAsync(expired), HttpStatusCode.Unauthorized);
        var expiredRefresh = new AdminTokens(app.JwtOptions, new ShiftedClock(TimeSpan.FromDays(-30))).Issue(root, TokenUse.Refresh);
        await AccountsApp.AssertErrorAsync(await RefreshAsync(expiredRefresh), HttpStatusCode.Unauthorized);

        var otherKey = app.JwtOptions with { SigningKey = Encoding.UTF8.GetBytes("another-secret-key-that-is-long-enough-123") };
        var forged = new AdminTokens(otherKey, TimeProvider.System).Issue(root, TokenUse.Access);
        await AccountsApp.AssertErrorAsync(await ProtectedAsync(forged), HttpStatusCode.Unauthorized);

        var valid = new AdminTokens(app.JwtOptions, TimeProvider.System).Issue(root, TokenUse.Access);
        Assert.Equal(HttpStatusCode.OK, (await ProtectedAsync(valid)).StatusCode);

        var parts = valid.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlDecode(parts[1])).Replace("\"access\"", "\"acces\"");
        var tampered = $"{parts[0]}.{Base64UrlEncode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";
        await AccountsApp.AssertErrorAsync(await ProtectedAsync(tampered), HttpStatusCode.Unauthorized);

        var none = $"{Base64UrlEncode(Encoding.UTF8.GetBytes("{\"alg\":\"none\",\"typ\":\"JWT\"}"))}.{parts[1]}.";
        await AccountsApp.AssertErrorAsync(await ProtectedAsync(none), HttpStatusCode.Unauthorized);
        await AccountsApp.AssertErrorAsync(await ProtectedAsync("not-a-jwt"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Token_claims_distinguish_access_from_refresh_and_use_hs256()
    {
        var (access, refresh) = await app.AdminLoginAsync(AccountsApp.RootAdmin, AccountsApp.RootPassword);
        string Part(string jwt, int i) => Encoding.UTF8.GetString(Base64UrlDecode(jwt.Split('.')[i]));
        Assert.Contains("\"alg\":\"HS256\"", Part(access, 0));
        Assert.Contains("\"token_use\":\"access\"", Part(access, 1));
        Assert.Contains("\"token_use\":\"refresh\"", Part(refresh, 1));
        Assert.DoesNotContain(AccountsApp.RootPassword, Part(access, 1));
    }

    [Fact]
    public async Task A_password_change_revokes_earlier_tokens_and_a_deleted_admins_tokens_stop_working()
    {
        var name = AccountsApp.Unique("adm");
        await AccountsApp.AssertOkAsync(await app.AdminPostAsync("/admin/add_admin", new { admin = name, password = "Admin-pass-1" }), "添加管理员成功");
        var (access, refresh) = await app.AdminLoginAsync(name, "Admin-pass-1");
        Assert.Equal(HttpStatusCode.OK, (await ProtectedAsync(access)).StatusCode);

        await AccountsApp.AssertOkAsync(await app.AdminPostAsync("/admin/modify_admin", new { target_admin = name, new_password = "Admin-pass-2" }), "修改用户信息成功");
        await AccountsApp.AssertErrorAsync(await ProtectedAsync(access), HttpStatusCode.Unauthorized);
        await AccountsApp.AssertErrorAsync(await RefreshAsync(refresh), HttpStatusCode.Unauthorized);

        var (second, _) = await app.AdminLoginAsync(name, "Admin-pass-2");
        Assert.Equal(HttpStatusCode.OK, (await ProtectedAsync(second)).StatusCode);
        await AccountsApp.AssertOkAsync(await app.AdminPostAsync("/admin/delete_admin", new { target_admin = name }), $"{name} 删除成功");
        await AccountsApp.AssertErrorAsync(await ProtectedAsync(second), HttpStatusCode.Unauthorized);
    }

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Base64UrlDecode(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }
}

/// <summary>No ADMIN_JWT_SECRET outside Development: admin routes refuse with 503; user routes still work.</summary>
public sealed class UnconfiguredAdminApp : IhuiApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
        [new("ADMIN_JWT_SECRET", "too-short"), new("ADMIN_USERNAME", "root"), new("ADMIN_PASSWORD", AccountsApp.RootPassword)];
}

public sealed class UnconfiguredAdminTests(UnconfiguredAdminApp app) : IClassFixture<UnconfiguredAdminApp>
{
    [Fact]
    public async Task Admin_login_refresh_and_protected_routes_are_503_naming_the_variable()
    {
        var http = app.CreateClient();
        await AccountsApp.AssertErrorAsync(await http.PostAsJsonAsync("/admin/login", new { admin = "root", password = AccountsApp.RootPassword }),
            HttpStatusCode.ServiceUnavailable, "ADMIN_JWT_SECRET");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/query_table_count?table=users");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "a.b.c");
        await AccountsApp.AssertErrorAsync(await http.SendAsync(request), HttpStatusCode.ServiceUnavailable, "ADMIN_JWT_SECRET");
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("/auth/register",
            new { username = AccountsApp.Unique(), password = "Secret-123", email = "a@b.cn" })).StatusCode);
    }
}
