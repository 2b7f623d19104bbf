using System.Net;
using System.Net.Http.Json;
using Ihui.Features.Common.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Tests.Accounts;

/// <summary>A throttle of 5 failures per account; the per-IP limit is out of the way.</summary>
public sealed class LoginBurstApp : AccountsApp
{
    public const int Limit = 5;

    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings() => [new("LOGIN_MAX_FAILURES", Limit.ToString())];

    public PasswordGate Passwords => Services.GetRequiredService<PasswordGate>();
}

/// <summary>
/// Issue 14 item 1: a parallel burst of wrong passwords for one account is decided by the throttle before any
/// database work; only the limit's worth of passwords is ever evaluated (on SQLite and on MariaDB).
/// </summary>
public sealed class LoginBurstTests(LoginBurstApp app) : IClassFixture<LoginBurstApp>
{
    [Fact]
    public async Task A_hundred_parallel_wrong_user_logins_evaluate_five_passwords_and_the_rest_are_429()
    {
        var name = AccountsApp.Unique();
        var http = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("/auth/register",
            new { username = name, password = "Secret-123", email = "a@b.cn" })).StatusCode);
        var before = app.Passwords.Evaluated;

        var burst = await Burst(() => http.PostAsJsonAsync("/auth/login", new { username = name, password = "Wrong-123" }));
        var statuses = burst.Select(r => r.Status).ToList();
        // Every refusal says when to come back: a moment while the admitted guesses run, the lockout once they failed.
        Assert.All(burst.Where(r => r.Status == HttpStatusCode.TooManyRequests), r => Assert.True(r.RetryAfter >= 1, $"Retry-After={r.RetryAfter}"));

        Assert.Equal(LoginBurstApp.Limit, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(100 - LoginBurstApp.Limit, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(LoginBurstApp.Limit, app.Passwords.Evaluated - before);
        // Locked now: the right password is refused too, and is not evaluated either.
        await AccountsApp.AssertErrorAsync(await http.PostAsJsonAsync("/auth/login", new { username = name, password = "Secret-123" }),
            HttpStatusCode.TooManyRequests, "too many failed login attempts");
        Assert.Equal(LoginBurstApp.Limit, app.Passwords.Evaluated - before);
    }

    [Fact]
    public async Task A_hundred_parallel_wrong_admin_logins_evaluate_five_passwords_and_the_rest_are_429()
    {
        await app.RootTokenAsync();
        var before = app.Passwords.Evaluated;
        var http = app.CreateClient();
        var responses = await Burst(() => http.PostAsJsonAsync("/admin/login", new { admin = AccountsApp.Unique("a"), password = "Wrong-123" }));
        // Each request names another admin (none exists), so the throttle lets every one through: the password gate
        // bounds the work instead. Each is a 401 or, past the gate's wait, a 503 with Retry-After; never a 500.
        Assert.All(responses, r => Assert.True(r.Status is HttpStatusCode.Unauthorized || r.Status is HttpStatusCode.ServiceUnavailable && r.RetryAfter >= 1,
            $"{r.Status} Retry-After={r.RetryAfter}"));
        Assert.Equal(responses.Count(r => r.Status == HttpStatusCode.Unauthorized), app.Passwords.Evaluated - before);

        var target = AccountsApp.Unique("a");
        before = app.Passwords.Evaluated;
        var statuses = (await Burst(() => http.PostAsJsonAsync("/admin/login", new { admin = target, password = "Wrong-123" }))).Select(r => r.Status).ToList();
        Assert.Equal(LoginBurstApp.Limit, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(100 - LoginBurstApp.Limit, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(LoginBurstApp.Limit, app.Passwords.Evaluated - before);
        // The bootstrap admin is another account: not affected.
        var (access, _) = await app.AdminLoginAsync(AccountsApp.RootAdmin, AccountsApp.RootPassword);
        Assert.NotEmpty(access);
    }

    private static async Task<(HttpStatusCode Status, double? RetryAfter)[]> Burst(Func<Task<HttpResponseMessage>> send)
    {
        using var start = new SemaphoreSlim(0);
        var calls = Enumerable.Range(0, 100).Select(async _ =>
        {
            await start.WaitAsync();
            using var response = await send();
            return (response.StatusCode, response.Headers.RetryAfter?.Delta?.TotalSeconds);
        }).ToList();
        start.Release(100);
        return await Task.WhenAll(calls);
    }
}
