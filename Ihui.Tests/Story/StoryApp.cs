using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Ihui.Features.Common.Data;
using Ihui.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Nethereum.Signer;

namespace Ihui.Tests.Story;

/// <summary>The host with seed 003's platform configured: one editor wallet, a signup grant, files in a temporary directory.</summary>
public class StoryApp : IhuiApp
{
    public const long SignupGrant = 5000;
    public EthECKey Editor { get; } = EthECKey.GenerateKey();
    public string StorageDir { get; } = Directory.CreateTempSubdirectory("ihui-story-files-").FullName;

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
    [
        new("WALLET_SIGNUP_GRANT", SignupGrant.ToString()),
        new("WALLET_LOGIN_DOMAIN", "story.example.com"),
        new("WALLET_LOGIN_URI", "https://story.example.com/login"),
        new("WALLET_CHAIN_ID", "137"),
        new("STORY_EDITOR_WALLETS", Editor.GetPublicAddress()),
        new("STORAGE_DIR", StorageDir),
        new("PUBLIC_BASE_URL", "https://cdn.story.example.com"),
        .. MoreSettings(),
    ];

    protected virtual IEnumerable<KeyValuePair<string, string?>> MoreSettings() => [];

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        try { Directory.Delete(StorageDir, true); } catch (IOException) { }
    }

    public static string Sign(EthECKey key, string message) => new EthereumMessageSigner().EncodeUTF8AndSign(message, key);

    public async Task<JsonElement> NonceAsync(HttpClient http, string address)
    {
        var r = await http.PostAsJsonAsync("/api/v1/auth/nonce", new { wallet_address = address });
        Assert.Equal(System.Net.HttpStatusCode.OK, r.StatusCode);
        return await JsonAsync(r);
    }

    /// <summary>Signs in with a new nonce and returns the access token.</summary>
    public async Task<string> SignInAsync(EthECKey key, HttpClient? http = null)
    {
        http ??= CreateClient();
        var address = key.GetPublicAddress();
        var message = (await NonceAsync(http, address)).GetProperty("message").GetString()!;
        var r = await http.PostAsJsonAsync("/api/v1/auth/login", new { wallet_address = address, signature = Sign(key, message), message });
        Assert.Equal(System.Net.HttpStatusCode.OK, r.StatusCode);
        return (await JsonAsync(r)).GetProperty("access_token").GetString()!;
    }

    /// <summary>A client for a new wallet, signed in; its wallet key and user id come along.</summary>
    public async Task<Wallet> NewWalletAsync(EthECKey? key = null)
    {
        key ??= EthECKey.GenerateKey();
        var http = CreateClient();
        var token = await SignInAsync(key, http);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new Wallet(http, key, token, await UserIdOfAsync(key.GetPublicAddress()));
    }

    public async Task<string> UserIdOfAsync(string address)
    {
        await using var c = await Services.GetRequiredService<Db>().OpenAsync();
        return await c.ExecuteScalarAsync<string>("SELECT user_id FROM wallet_accounts WHERE wallet_address = @a", new { a = address.ToLowerInvariant() }) ?? "";
    }

    public Task<int> ExecuteAsync(string sql, object? param = null) => Services.GetRequiredService<Db>().ExecuteWriteAsync(sql, param);

    public async Task<T?> ScalarAsync<T>(string sql, object? param = null)
    {
        await using var c = await Services.GetRequiredService<Db>().OpenAsync();
        return await c.ExecuteScalarAsync<T>(sql, param);
    }
}

public sealed record Wallet(HttpClient Http, EthECKey Key, string Token, string UserId)
{
    public string Address => Key.GetPublicAddress();
}
