using System.Net;
using System.Net.Http.Json;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Accounts;

public sealed class UserAuthTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    private readonly HttpClient _http = app.CreateClient();

    private Task<HttpResponseMessage> RegisterAsync(string username, string password = "Secret-123", string email = "a@b.cn", string? academy = "计算机学院") =>
        _http.PostAsJsonAsync("/auth/register", new { username, password, email, academy });

    private Task<HttpResponseMessage> LoginAsync(string username, string password) =>
        _http.PostAsJsonAsync("/auth/login", new { username, password });

    [Fact]
    public async Task Register_then_login_answers_seed_002s_fields_with_the_opening_grant_on_the_ledger()
    {
        var name = AccountsApp.Unique();
        var registered = await AccountsApp.AssertOkAsync(await RegisterAsync(name), "用户注册成功");
        Assert.Equal(["code", "msg"], registered.EnumerateObject().Select(p => p.Name).ToArray());

        var json = await AccountsApp.AssertOkAsync(await LoginAsync(name, "Secret-123"), "用户登录成功");
        var uuid = json.GetProperty("uuid").GetString()!;
        Assert.True(Guid.TryParse(uuid, out _));
        Assert.Equal(name, json.GetProperty("username").GetString());
        Assert.Equal(500, json.GetProperty("tokens").GetInt64());
        Assert.Equal(3, json.GetProperty("picTimes").GetInt32());

        Assert.Equal(500, await app.BalanceAsync(uuid));
        Assert.Equal([(500L, "grant")], await app.LedgerAsync(uuid));
        var academy = await app.ScalarAsync<string>("SELECT academy FROM users WHERE id = @uuid", new { uuid });
        Assert.Equal("计算机学院", academy);
    }

    [Fact]
    public async Task Passwords_are_stored_as_pbkdf2_hashes_never_as_text()
    {
        var name = AccountsApp.Unique();
        await AccountsApp.AssertOkAsync(await RegisterAsync(name, "Plain-text-99"), "用户注册成功");
        var hash = await app.ScalarAsync<string>("SELECT password_hash FROM users WHERE username = @name", new { name });
        Assert.DoesNotContain("Plain-text-99", hash);
        Assert.Equal(0x01, Convert.FromBase64String(hash)[0]); // Identity V3 format marker
        Assert.NotEqual(32, hash.Length); // not an MD5 hex digest
    }

    [Fact]
    public async Task Wrong_password_and_unknown_user_get_the_same_401()
    {
        var name = AccountsApp.Unique();
        await RegisterAsync(name);
        var wrong = await LoginAsync(name, "Wrong-123");
        var unknown = await LoginAsync(AccountsApp.Unique(), "Secret-123");
        var wrongBody = await AccountsApp.AssertErrorAsync(wrong, HttpStatusCode.Unauthorized, "invalid username or password");
        var unknownBody = await AccountsApp.AssertErrorAsync(unknown, HttpStatusCode.Unauthorized, "invalid username or password");
        Assert.Equal(wrongBody.GetRawText(), unknownBody.GetRawText());
        Assert.False(wrongBody.TryGetProperty("uuid", out _));
    }

    [Fact]
    public async Task A_taken_username_is_409()
    {
        var name = AccountsApp.Unique();
        await AccountsApp.AssertOkAsync(await RegisterAsync(name), "用户注册成功");
        await AccountsApp.AssertErrorAsync(await RegisterAsync(name), HttpStatusCode.Conflict, "already taken");
    }

    [Fact]
    public async Task Concurrent_registrations_of_one_name_create_exactly_one_user()
    {
        var name = AccountsApp.Unique();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => RegisterAsync(name)));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(1L, await app.ScalarAsync<long>("SELECT COUNT(*) FROM users WHERE username = @name", new { name }));
        var id = await app.ScalarAsync<string>("SELECT id FROM users WHERE username = @name", new { name });
        Assert.Equal(500, await app.LedgerSumAsync(id));
    }

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("short1", "at least 8")]
    [InlineData("onlyletters", "letter and a digit")]
    [InlineData("12345678", "letter and a digit")]
    public async Task Weak_passwords_are_400(string password, string message) =>
        await AccountsApp.AssertErrorAsync(await RegisterAsync(AccountsApp.Unique(), password), HttpStatusCode.BadRequest, message);

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("a@b")]
    [InlineData("")]
    public async Task Bad_emails_are_400(string email) =>
        await AccountsApp.AssertErrorAsync(await RegisterAsync(AccountsApp.Unique(), email: email), HttpStatusCode.BadRequest, "email");

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("has space")]
    [InlineData("x'; DROP TABLE users; --")]
    public async Task Bad_usernames_are_400(string username) =>
        await AccountsApp.AssertErrorAsync(await RegisterAsync(username), HttpStatusCode.BadRequest, "username");

    [Fact]
    public async Task Malformed_or_missing_bodies_are_400()
    {
        var bad = await _http.PostAsync("/auth/login", new StringContent("{\"username\":", System.Text.Encoding.UTF8, "application/json"));
        await AccountsApp.AssertErrorAsync(bad, HttpStatusCode.BadRequest);
        var wrongType = await _http.PostAsync("/auth/register", new StringContent("{\"username\":5}", System.Text.Encoding.UTF8, "application/json"));
        await AccountsApp.AssertErrorAsync(wrongType, HttpStatusCode.BadRequest);
        await AccountsApp.AssertErrorAsync(await _http.PostAsJsonAsync("/auth/login", new { username = "x" }), HttpStatusCode.BadRequest, "password");
    }

    [Fact]
    public async Task Repeated_failures_lock_the_account_with_429_even_for_the_right_password_until_the_lockout_ends()
    {
        var name = AccountsApp.Unique();
        await RegisterAsync(name);
        for (var i = 0; i < AccountsApp.MaxFailures; i++)
            await AccountsApp.AssertErrorAsync(await LoginAsync(name, "Wrong-123"), HttpStatusCode.Unauthorized);

        var refused = await LoginAsync(name, "Secret-123");
        Assert.Equal("60", refused.Headers.GetValues("Retry-After").Single()); // the whole lockout is left
        var locked = await AccountsApp.AssertErrorAsync(refused, HttpStatusCode.TooManyRequests, "too many failed login attempts");
        Assert.DoesNotContain("password", locked.GetProperty("msg").GetString());

        // Another account is not affected by this one's lockout.
        var other = AccountsApp.Unique();
        await RegisterAsync(other);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(other, "Secret-123")).StatusCode);

        app.ThrottleClock.Advance(TimeSpan.FromSeconds(30));
        refused = await LoginAsync(name, "Secret-123");
        Assert.Equal("30", refused.Headers.GetValues("Retry-After").Single());
        await AccountsApp.AssertErrorAsync(refused, HttpStatusCode.TooManyRequests);
        app.ThrottleClock.Advance(TimeSpan.FromSeconds(31)); // LOGIN_LOCKOUT_SECONDS=60
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(name, "Secret-123")).StatusCode);
    }

    [Fact]
    public async Task Failures_older_than_the_window_do_not_count_and_a_success_resets_the_account()
    {
        var name = AccountsApp.Unique();
        await RegisterAsync(name);
        for (var i = 0; i < AccountsApp.MaxFailures - 1; i++) await LoginAsync(name, "Wrong-123");
        app.ThrottleClock.Advance(TimeSpan.FromSeconds(901)); // LOGIN_FAILURE_WINDOW_SECONDS default 900
        for (var i = 0; i < AccountsApp.MaxFailures - 1; i++)
            await AccountsApp.AssertErrorAsync(await LoginAsync(name, "Wrong-123"), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(name, "Secret-123")).StatusCode);
        for (var i = 0; i < AccountsApp.MaxFailures - 1; i++)
            await AccountsApp.AssertErrorAsync(await LoginAsync(name, "Wrong-123"), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(name, "Secret-123")).StatusCode);
    }

    [Fact]
    public async Task A_user_without_a_password_cannot_log_in()
    {
        var user = await app.CreateUserAsync(10);
        await AccountsApp.AssertErrorAsync(await LoginAsync(user.Username, ""), HttpStatusCode.BadRequest);
        await AccountsApp.AssertErrorAsync(await LoginAsync(user.Username, "Anything-1"), HttpStatusCode.Unauthorized);
    }
}

/// <summary>A host whose per-IP limit is low, so its lockout does not disturb the other tests.</summary>
public sealed class IpThrottleApp : AccountsApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings() =>
        [new("LOGIN_MAX_FAILURES_PER_IP", "5"), new("LOGIN_MAX_FAILURES", "100"), new("LOGIN_LOCKOUT_SECONDS", "60")];
}

public sealed class IpThrottleTests(IpThrottleApp app) : IClassFixture<IpThrottleApp>
{
    [Fact]
    public async Task Failures_across_many_accounts_from_one_ip_lock_that_ip_for_users_and_admins_separately()
    {
        var http = app.CreateClient();
        var name = AccountsApp.Unique();
        await http.PostAsJsonAsync("/auth/register", new { username = name, password = "Secret-123", email = "a@b.cn" });
        for (var i = 0; i < 5; i++)
            await AccountsApp.AssertErrorAsync(await http.PostAsJsonAsync("/auth/login", new { username = AccountsApp.Unique(), password = "Wrong-123" }),
                HttpStatusCode.Unauthorized);

        await AccountsApp.AssertErrorAsync(await http.PostAsJsonAsync("/auth/login", new { username = name, password = "Secret-123" }),
            HttpStatusCode.TooManyRequests);
        // The admin login keeps its own counters.
        Assert.Equal(HttpStatusCode.OK,
            (await http.PostAsJsonAsync("/admin/login", new { admin = AccountsApp.RootAdmin, password = AccountsApp.RootPassword })).StatusCode);
    }
}
