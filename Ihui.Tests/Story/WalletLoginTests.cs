using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ihui.Features.Common.Wallet;
using Ihui.Tests.Infrastructure;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Signer;

namespace Ihui.Tests.Story;

public sealed class WalletSignatureVectorTests
{
    private static JsonElement Vectors()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "shared", "vectors", "vectors.json"))) dir = Path.GetDirectoryName(dir);
        var path = dir is null ? Path.Combine(AppContext.BaseDirectory, "vectors.json") : Path.Combine(dir, "shared", "vectors", "vectors.json");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("eip191_personal_sign");
    }

    [Fact]
    public void Recovery_gives_the_ethers_vectors_signers_and_refuses_the_tampered_ones()
    {
        var vectors = Vectors().EnumerateArray().ToList();
        Assert.Equal(8, vectors.Count);
        foreach (var v in vectors)
        {
            var message = v.GetProperty("message").GetString()!;
            var signature = v.GetProperty("signature").GetString()!;
            var address = v.GetProperty("address").GetString()!.ToLowerInvariant();
            var recovered = WalletAddress.RecoverPersonalSign(message, signature);
            if (v.GetProperty("valid").GetBoolean())
            {
                Assert.Equal(address, recovered);
                Assert.Equal(v.GetProperty("eip191_hash").GetString(),
                    new EthereumMessageSigner().HashPrefixedMessage(Encoding.UTF8.GetBytes(message)).ToHex(true));
                // The same signature with its recovery id as 0/1 (some wallets send that) recovers the same signer.
                var v01 = signature[..^2] + (Convert.ToByte(signature[^2..], 16) - 27).ToString("x2");
                Assert.Equal(address, WalletAddress.RecoverPersonalSign(message, v01));
            }
            else
            {
                Assert.Equal(v.GetProperty("recovered_address").GetString()!.ToLowerInvariant(), recovered);
                Assert.NotEqual(address, recovered);
            }
        }
    }

    [Fact]
    public void A_signature_that_is_not_one_recovers_nobody()
    {
        Assert.Null(WalletAddress.RecoverPersonalSign("x", "0x1234"));
        Assert.Null(WalletAddress.RecoverPersonalSign("x", "0x" + new string('0', 130)));
        Assert.Null(WalletAddress.RecoverPersonalSign("x", "0x" + new string('f', 128) + "1d"));
    }
}

public sealed class WalletLoginTests(StoryApp app) : IClassFixture<StoryApp>
{
    private static async Task<HttpResponseMessage> LoginAsync(HttpClient http, string address, string signature, string? message) =>
        await http.PostAsJsonAsync("/api/v1/auth/login", message is null
            ? new Dictionary<string, string> { ["wallet_address"] = address, ["signature"] = signature }
            : new Dictionary<string, string> { ["wallet_address"] = address, ["signature"] = signature, ["message"] = message });

    [Fact]
    public async Task The_nonce_message_is_EIP_4361_with_the_configured_domain_uri_and_chain()
    {
        var key = EthECKey.GenerateKey();
        var before = DateTime.UtcNow.AddSeconds(-1);
        var nonce = await app.NonceAsync(app.CreateClient(), key.GetPublicAddress().ToLowerInvariant());
        var message = nonce.GetProperty("message").GetString()!;
        var lines = message.Split('\n');
        Assert.Equal("story.example.com wants you to sign in with your Ethereum account:", lines[0]);
        Assert.Equal(key.GetPublicAddress(), lines[1]); // EIP-55 form
        Assert.Contains("URI: https://story.example.com/login", lines);
        Assert.Contains("Version: 1", lines);
        Assert.Contains("Chain ID: 137", lines);
        Assert.Contains("Nonce: " + nonce.GetProperty("nonce").GetString(), lines);
        var siwe = SiweMessage.TryParse(message)!;
        Assert.True(siwe.IssuedAt >= before && siwe.IssuedAt <= DateTime.UtcNow.AddSeconds(1));
        Assert.Equal(TimeSpan.FromMinutes(10), siwe.ExpirationTime - siwe.IssuedAt);
        Assert.Equal(siwe.ExpirationTime, DateTime.Parse(nonce.GetProperty("expires_at").GetString()!).ToUniversalTime());
        Assert.True(nonce.GetProperty("nonce").GetString()!.Length >= 8);
    }

    [Fact]
    public async Task A_new_wallet_signs_in_becomes_a_user_with_the_signup_grant_and_gets_its_token_back_on_the_next_sign_in()
    {
        var key = EthECKey.GenerateKey();
        var http = app.CreateClient();
        var message = (await app.NonceAsync(http, key.GetPublicAddress())).GetProperty("message").GetString()!;
        var response = await LoginAsync(http, key.GetPublicAddress().ToLowerInvariant(), StoryApp.Sign(key, message), message);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await IhuiApp.JsonAsync(response);
        var token = body.GetProperty("access_token").GetString()!;
        Assert.StartsWith("paw_", token);
        Assert.Equal(key.GetPublicAddress(), body.GetProperty("wallet_address").GetString());
        var expires = DateTime.Parse(body.GetProperty("expires_at").GetString()!).ToUniversalTime();
        Assert.InRange(expires - DateTime.UtcNow, TimeSpan.FromDays(3) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(3));

        // A wallet user is an Ihui user: the grant is a ledger row.
        var userId = await app.UserIdOfAsync(key.GetPublicAddress());
        Assert.Equal(StoryApp.SignupGrant, await app.BalanceAsync(userId));
        Assert.Equal(StoryApp.SignupGrant, await app.LedgerSumAsync(userId));
        Assert.NotNull(await app.ScalarAsync<DateTime?>("SELECT last_login_at FROM wallet_accounts WHERE user_id = @userId", new { userId }));

        // Kept by hash and sealed: the table never holds the token itself.
        Assert.Equal(WalletStore.Hash(token), await app.ScalarAsync<string>("SELECT token_hash FROM wallet_tokens WHERE user_id = @userId", new { userId }));
        var sealedToken = await app.ScalarAsync<string>("SELECT token_protected FROM wallet_tokens WHERE user_id = @userId", new { userId });
        Assert.DoesNotContain(token[4..], sealedToken);

        // Signing in again (a new nonce) answers the token that is still valid; the grant is not given twice.
        Assert.Equal(token, await app.SignInAsync(key));
        Assert.Equal(1L, await app.ScalarAsync<long>("SELECT COUNT(*) FROM wallet_tokens WHERE user_id = @userId", new { userId }));
        Assert.Equal(StoryApp.SignupGrant, await app.BalanceAsync(userId));
    }

    [Fact]
    public async Task A_seed_client_that_sends_only_address_and_signature_is_served_against_the_latest_nonce()
    {
        var key = EthECKey.GenerateKey();
        var http = app.CreateClient();
        await app.NonceAsync(http, key.GetPublicAddress());
        var latest = (await app.NonceAsync(http, key.GetPublicAddress())).GetProperty("message").GetString()!;
        var response = await LoginAsync(http, key.GetPublicAddress(), StoryApp.Sign(key, latest), null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // Without any open nonce there is nothing to check the signature against.
        var other = EthECKey.GenerateKey();
        var refused = await LoginAsync(http, other.GetPublicAddress(), StoryApp.Sign(other, "Welcome to PAW! Login at 2025-01-01T00:00:00.000Z"), null);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_nonce_is_used_once_and_expired_ones_and_foreign_or_tampered_messages_are_refused()
    {
        var key = EthECKey.GenerateKey();
        var http = app.CreateClient();
        var address = key.GetPublicAddress();
        var message = (await app.NonceAsync(http, address)).GetProperty("message").GetString()!;
        var signature = StoryApp.Sign(key, message);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(http, address, signature, message)).StatusCode);
        var replay = await LoginAsync(http, address, signature, message);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Contains("already used", (await IhuiApp.JsonAsync(replay)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(http, address, signature, null)).StatusCode);

        // Signed by another key.
        var fresh = (await app.NonceAsync(http, address)).GetProperty("message").GetString()!;
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(http, address, StoryApp.Sign(EthECKey.GenerateKey(), fresh), fresh)).StatusCode);
        // A field changed after issue (and signed as changed): another domain, chain, a later expiry; a made-up nonce.
        foreach (var forged in (string[])[
                     fresh.Replace("story.example.com wants", "evil.example.com wants"), fresh.Replace("Chain ID: 137", "Chain ID: 1"),
                     fresh.Replace("URI: https://story.example.com/login", "URI: https://evil.example.com/"),
                     fresh[..fresh.LastIndexOf("Expiration Time: ", StringComparison.Ordinal)] + "Expiration Time: 2999-01-01T00:00:00.000Z",
                     new SiweMessage("story.example.com", address, "Sign in to Ihui.", "https://story.example.com/login", "1", 137,
                         SiweMessage.NewNonce(), DateTime.UtcNow, DateTime.UtcNow.AddMinutes(5)).ToString(),
                     "not a sign-in message"])
        {
            var r = await LoginAsync(http, address, StoryApp.Sign(key, forged), forged);
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        }
        // The genuine message still works after all that (none of the refusals used it up).
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(http, address, StoryApp.Sign(key, fresh), fresh)).StatusCode);

        var late = (await app.NonceAsync(http, address)).GetProperty("nonce").GetString()!;
        var lateMessage = await app.ScalarAsync<string>("SELECT message FROM wallet_nonces WHERE nonce = @late", new { late });
        await app.ExecuteAsync("UPDATE wallet_nonces SET expires_at = @past WHERE nonce = @late", new { past = DateTime.UtcNow.AddSeconds(-1), late });
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(http, address, StoryApp.Sign(key, lateMessage!), lateMessage)).StatusCode);
    }

    [Fact]
    public async Task Fifty_concurrent_logins_with_one_signature_get_exactly_one_token()
    {
        var key = EthECKey.GenerateKey();
        var http = app.CreateClient();
        var message = (await app.NonceAsync(http, key.GetPublicAddress())).GetProperty("message").GetString()!;
        var signature = StoryApp.Sign(key, message);
        using var start = new SemaphoreSlim(0);
        var logins = Enumerable.Range(0, 50).Select(async i =>
        {
            await start.WaitAsync();
            return await LoginAsync(app.CreateClient(), key.GetPublicAddress(), signature, i % 2 == 0 ? message : null);
        }).ToList();
        start.Release(50);
        var statuses = (await Task.WhenAll(logins)).Select(r => r.StatusCode).ToList();
        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(49, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        var userId = await app.UserIdOfAsync(key.GetPublicAddress());
        Assert.Equal(StoryApp.SignupGrant, await app.LedgerSumAsync(userId));
    }

    [Fact]
    public async Task Logout_ends_the_token_at_once_and_an_expired_token_is_a_401()
    {
        var wallet = await app.NewWalletAsync();
        var logout = await wallet.Http.PostAsync("/api/v1/auth/logout", null);
        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        Assert.Equal("Successfully logged out", (await IhuiApp.JsonAsync(logout)).GetProperty("message").GetString());
        var again = await wallet.Http.PostAsync("/api/v1/auth/logout", null);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.Equal("Invalid or expired token", (await IhuiApp.JsonAsync(again)).GetProperty("detail").GetString());
        Assert.Equal("Bearer", again.Headers.WwwAuthenticate.ToString());

        // After logout a new sign-in gets a new token.
        var next = await app.SignInAsync(wallet.Key);
        Assert.NotEqual(wallet.Token, next);

        await app.ExecuteAsync("UPDATE wallet_tokens SET expires_at = @past WHERE user_id = @u", new { past = DateTime.UtcNow.AddSeconds(-1), u = wallet.UserId });
        var http = app.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", next);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/api/v1/auth/logout", null)).StatusCode);
        // An expired token is not handed back either.
        Assert.NotEqual(next, await app.SignInAsync(wallet.Key));

        var anonymous = await app.CreateClient().PostAsync("/api/v1/auth/logout", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Not authenticated", (await IhuiApp.JsonAsync(anonymous)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Bad_fields_are_FastAPI_422s()
    {
        var http = app.CreateClient();
        var r = await http.PostAsJsonAsync("/api/v1/auth/login", new { wallet_address = "0x123", signature = 5 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode);
        var detail = (await IhuiApp.JsonAsync(r)).GetProperty("detail");
        Assert.Equal(JsonValueKind.Array, detail.ValueKind);
        Assert.Equal("body", detail[0].GetProperty("loc")[0].GetString());

        r = await http.PostAsJsonAsync("/api/v1/auth/nonce", new { wallet_address = "0xnothex" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode);
        var item = (await IhuiApp.JsonAsync(r)).GetProperty("detail")[0];
        Assert.Equal("wallet_address", item.GetProperty("loc")[1].GetString());
        Assert.Equal("value_error", item.GetProperty("type").GetString());

        r = await http.PostAsync("/api/v1/auth/nonce", new StringContent("{\"wallet_address\":", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode);
        Assert.Equal("json_invalid", (await IhuiApp.JsonAsync(r)).GetProperty("detail")[0].GetProperty("type").GetString());

        r = await http.GetAsync("/api/v1/no-such-route");
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        Assert.Equal("Not Found", (await IhuiApp.JsonAsync(r)).GetProperty("detail").GetString());
    }
}
