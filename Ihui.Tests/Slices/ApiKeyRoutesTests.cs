using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using Ihui.Features.Common.Data;
using Ihui.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Tests.Slices;

public sealed class ApiKeyRoutesTests(OpenAiApiApp app) : IClassFixture<OpenAiApiApp>
{
    private readonly HttpClient _http = app.CreateClient();

    private static async Task AssertEnvelopeErrorAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        var json = await IhuiApp.JsonAsync(response);
        Assert.Equal((int)status, json.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("msg").GetString()));
    }

    [Fact]
    public async Task Create_shows_the_secret_once_and_stores_only_its_hash()
    {
        var user = await app.CreateUserAsync(1000);
        var expires = DateTimeOffset.UtcNow.AddDays(30);

        var response = await _http.PostAsJsonAsync("/api/keys",
            new { user_uuid = user.Id, name = "bench", models = new[] { "test-qwen" }, quota = 5000, expires_at = expires });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await IhuiApp.JsonAsync(response);
        Assert.Equal(0, json.GetProperty("code").GetInt32());
        var data = json.GetProperty("data");
        var secret = data.GetProperty("key").GetString()!;
        Assert.Matches("^sk-[0-9a-f]{64}$", secret);
        Assert.Equal($"{secret[..7]}…{secret[^4..]}", data.GetProperty("key_hint").GetString());
        Assert.Equal(("bench", "active", 5000L, 0L), (data.GetProperty("name").GetString(), data.GetProperty("status").GetString(),
            data.GetProperty("quota").GetInt64(), data.GetProperty("used").GetInt64()));
        Assert.Equal(["test-qwen"], data.GetProperty("models").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(expires.ToUnixTimeSeconds(), data.GetProperty("expires_at").GetDateTimeOffset().ToUnixTimeSeconds());

        await using var c = await app.Services.GetRequiredService<Db>().OpenAsync();
        var stored = await c.QuerySingleAsync<string>("SELECT key_hash FROM api_keys WHERE user_id = @Id", new { user.Id });
        Assert.NotEqual(secret, stored);
        Assert.Equal(0, await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM api_keys WHERE key_hash = @S OR key_hint = @S OR name = @S", new { S = secret }));

        var listed = await IhuiApp.JsonAsync(await _http.GetAsync($"/api/keys?user_uuid={user.Id}"));
        var key = Assert.Single(listed.GetProperty("data").GetProperty("keys").EnumerateArray());
        Assert.False(key.TryGetProperty("key", out _));
        Assert.Equal(data.GetProperty("id").GetString(), key.GetProperty("id").GetString());
        Assert.DoesNotContain(secret, listed.ToString());
    }

    [Fact]
    public async Task Users_see_and_revoke_only_their_own_keys()
    {
        var alice = await app.CreateUserAsync(1000);
        var bob = await app.CreateUserAsync(1000);
        var (aliceKey, aliceSecret) = await app.CreateKeyAsync(alice.Id);
        await app.CreateKeyAsync(bob.Id);

        var bobs = await IhuiApp.JsonAsync(await _http.GetAsync($"/api/keys?user_uuid={bob.Id}"));
        Assert.DoesNotContain(aliceKey, bobs.ToString());
        Assert.Single(bobs.GetProperty("data").GetProperty("keys").EnumerateArray());

        await AssertEnvelopeErrorAsync(await _http.DeleteAsync($"/api/keys/{aliceKey}?user_uuid={bob.Id}"), HttpStatusCode.NotFound);
        await AssertEnvelopeErrorAsync(await _http.DeleteAsync($"/api/keys/no-such-key?user_uuid={alice.Id}"), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await app.KeyClient(aliceSecret).GetAsync("/v1/models")).StatusCode);

        var revoked = await _http.DeleteAsync($"/api/keys/{aliceKey}?user_uuid={alice.Id}");
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        var data = (await IhuiApp.JsonAsync(revoked)).GetProperty("data");
        Assert.Equal("revoked", data.GetProperty("status").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, data.GetProperty("revoked_at").ValueKind);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.KeyClient(aliceSecret).GetAsync("/v1/models")).StatusCode);

        // Revoking again is harmless; the key stays listed as revoked.
        Assert.Equal(HttpStatusCode.OK, (await _http.DeleteAsync($"/api/keys/{aliceKey}?user_uuid={alice.Id}")).StatusCode);
        var listed = await IhuiApp.JsonAsync(await _http.GetAsync($"/api/keys?user_uuid={alice.Id}"));
        Assert.Equal("revoked", Assert.Single(listed.GetProperty("data").GetProperty("keys").EnumerateArray()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Key_routes_need_an_enabled_user()
    {
        await AssertEnvelopeErrorAsync(await _http.PostAsJsonAsync("/api/keys", new { name = "x" }), HttpStatusCode.Unauthorized);
        await AssertEnvelopeErrorAsync(await _http.GetAsync("/api/keys"), HttpStatusCode.Unauthorized);
        await AssertEnvelopeErrorAsync(await _http.GetAsync($"/api/keys?user_uuid={Guid.NewGuid()}"), HttpStatusCode.Unauthorized);
        await AssertEnvelopeErrorAsync(await _http.DeleteAsync($"/api/keys/x?user_uuid=not-a-uuid"), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("{\"quota\":0}")]
    [InlineData("{\"quota\":-5}")]
    [InlineData("{\"models\":[]}")]
    [InlineData("{\"models\":[\"\"]}")]
    [InlineData("{\"expires_at\":\"2001-01-01T00:00:00Z\"}")]
    [InlineData("{\"quota\":\"lots\"}")]
    [InlineData("{\"expires_at\":\"tomorrow\"}")]
    [InlineData("{\"models\":\"test-qwen\"}")]
    [InlineData("{\"name\":\"" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + "\"}")]
    [InlineData("{\"quota\":")]
    public async Task Bad_create_input_is_400_and_creates_nothing(string fields)
    {
        var user = await app.CreateUserAsync(1000);

        var response = await _http.PostAsync($"/api/keys?user_uuid={user.Id}", new StringContent(fields, Encoding.UTF8, "application/json"));

        await AssertEnvelopeErrorAsync(response, HttpStatusCode.BadRequest);
        var listed = await IhuiApp.JsonAsync(await _http.GetAsync($"/api/keys?user_uuid={user.Id}"));
        Assert.Empty(listed.GetProperty("data").GetProperty("keys").EnumerateArray());
    }
}
