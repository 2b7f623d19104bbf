using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Security;
using Ihui.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ihui.Tests.Accounts;

/// <summary>The host with the admin console configured: a JWT key, a first admin, new-user grants and a tight login throttle.</summary>
public class AccountsApp : IhuiApp
{
    public const string RootAdmin = "root";
    public const string RootPassword = "Root-pass-2024";
    public const string JwtSecret = "test-admin-jwt-secret-0123456789abcdef";
    public const string XfyunKey = "xf-key-0123456789abcdef";
    public const string XfyunSecret = "xf-secret-0123456789abcdef";
    public const int MaxFailures = 3;

    /// <summary>web3.js's documented example key: the wallet the sweeps sign in with.</summary>
    public static readonly Nethereum.Signer.EthECKey SweepWallet = new("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");

    private string? _walletToken;

    /// <summary>A <c>paw_</c> token of <see cref="SweepWallet"/> (signed in once per fixture).</summary>
    public async Task<string> WalletTokenAsync()
    {
        if (_walletToken is not null) return _walletToken;
        var http = CreateClient();
        var address = SweepWallet.GetPublicAddress();
        var nonce = await JsonAsync(await http.PostAsJsonAsync("/api/v1/auth/nonce", new { wallet_address = address }));
        var message = nonce.GetProperty("message").GetString()!;
        var signature = new Nethereum.Signer.EthereumMessageSigner().EncodeUTF8AndSign(message, SweepWallet);
        var login = await JsonAsync(await http.PostAsJsonAsync("/api/v1/auth/login", new { wallet_address = address, signature, message }));
        return _walletToken = login.GetProperty("access_token").GetString()!;
    }

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
    [
        new("ADMIN_JWT_SECRET", JwtSecret),
        new("ADMIN_USERNAME", RootAdmin),
        new("ADMIN_PASSWORD", RootPassword),
        new("NEW_USER_TOKENS", "500"),
        new("NEW_USER_PIC_TIMES", "3"),
        new("LOGIN_MAX_FAILURES", MaxFailures.ToString()),
        new("LOGIN_MAX_FAILURES_PER_IP", "10000"),
        new("LOGIN_LOCKOUT_SECONDS", "60"),
        new("XFYUN_APP_ID", "app-123"),
        new("XFYUN_API_KEY", XfyunKey),
        new("XFYUN_API_SECRET", XfyunSecret),
        // The hostile-input sweeps sign in one wallet (a platform editor, so catalog writes reach validation) and send it
        // thousands of requests: no rate limit here.
        new("STORY_EDITOR_WALLETS", SweepWallet.GetPublicAddress()),
        new("RATE_LIMIT_REQUESTS", "0"),
        .. MoreSettings(),
    ];

    protected virtual IEnumerable<KeyValuePair<string, string?>> MoreSettings() => [];

    /// <summary>The login throttle's clock, so tests can pass a lockout without sleeping.</summary>
    public ShiftedClock ThrottleClock { get; } = new(TimeSpan.Zero);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<ILoginAttemptStore>(new MemoryLoginAttemptStore(ThrottleClock)));
    }

    private string? _rootToken;

    /// <summary>An access token of the bootstrap admin (logged in once per fixture).</summary>
    public async Task<string> RootTokenAsync() => _rootToken ??= (await AdminLoginAsync(RootAdmin, RootPassword)).Access;

    public async Task<(string Access, string Refresh)> AdminLoginAsync(string admin, string password)
    {
        var response = await CreateClient().PostAsJsonAsync("/admin/login", new { admin, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await JsonAsync(response);
        return (json.GetProperty("access_token").GetString()!, json.GetProperty("refresh_token").GetString()!);
    }

    public async Task<HttpResponseMessage> AdminPostAsync(string path, object body, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? await RootTokenAsync());
        return await CreateClient().SendAsync(request);
    }

    public async Task<HttpResponseMessage> AdminGetAsync(string pathAndQuery, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? await RootTokenAsync());
        return await CreateClient().SendAsync(request);
    }

    public async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await SettleUpAsync();
        await using var c = await Services.GetRequiredService<Db>().OpenAsync();
        return await c.ExecuteScalarAsync<T>(sql, args) ?? throw new InvalidOperationException("no value: " + sql);
    }

    public async Task<List<(long Delta, string Kind)>> LedgerAsync(string userId)
    {
        await SettleUpAsync();
        await using var c = await Services.GetRequiredService<Db>().OpenAsync();
        return (await c.QueryAsync<(long, string)>("SELECT delta, kind FROM ledger WHERE user_id = @userId ORDER BY created_at, id", new { userId })).ToList();
    }

    public async Task<List<(string Admin, string Action, string? Target)>> AuditAsync(string action)
    {
        await using var c = await Services.GetRequiredService<Db>().OpenAsync();
        return (await c.QueryAsync<(string, string, string?)>(
            "SELECT admin_name, action, target FROM admin_audit WHERE action = @action ORDER BY created_at", new { action })).ToList();
    }

    public AdminJwtOptions JwtOptions => Services.GetRequiredService<AdminJwtOptions>();
    public AdminStore Admins => Services.GetRequiredService<AdminStore>();

    public static string Unique(string prefix = "u") => prefix + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Asserts the seed error envelope with the status as its code; returns the body.</summary>
    public static async Task<JsonElement> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string? msgContains = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, json.GetProperty("code").GetInt32());
        var msg = json.GetProperty("msg").GetString()!;
        if (msgContains is not null) Assert.Contains(msgContains, msg);
        return json;
    }

    /// <summary>Asserts 200 with <c>code</c> 0 and the seed's <c>msg</c>; returns the body.</summary>
    public static async Task<JsonElement> AssertOkAsync(HttpResponseMessage response, string msg)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal(0, json.GetProperty("code").GetInt32());
        Assert.Equal(msg, json.GetProperty("msg").GetString());
        return json;
    }
}

/// <summary>A clock at an offset from now: for tokens that are already expired, or to move past a lockout.</summary>
public sealed class ShiftedClock(TimeSpan offset) : TimeProvider
{
    private long _offsetTicks = offset.Ticks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
