using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Vendors.Channels;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Tests.Infrastructure;

/// <summary>What a fixture with channels needs: the breaker on short timings, the bootstrap admin, and channel rows set directly.</summary>
public static class ChannelTesting
{
    public const string AdminPassword = "Root-pass-2024";
    private static readonly ConditionalWeakTable<IhuiApp, string> Tokens = new();

    /// <summary>The breaker opens after 3 failures and cools down for 1 s; no background refresh; an admin to log in as.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Settings => new Dictionary<string, string?>
    {
        ["CHANNEL_BREAKER_FAILURES"] = "3",
        ["CHANNEL_BREAKER_COOLDOWN_SECONDS"] = "1",
        ["CHANNEL_REFRESH_SECONDS"] = "3600",
        ["ADMIN_JWT_SECRET"] = "test-admin-jwt-secret-0123456789abcdef",
        ["ADMIN_USERNAME"] = "root",
        ["ADMIN_PASSWORD"] = AdminPassword,
    };

    /// <summary>An access token of the bootstrap admin (one login per host).</summary>
    public static async Task<string> AdminTokenAsync(IhuiApp app)
    {
        if (Tokens.TryGetValue(app, out var token)) return token;
        var response = await app.CreateClient().PostAsJsonAsync("/admin/login", new { admin = "root", password = AdminPassword });
        response.EnsureSuccessStatusCode();
        token = (await IhuiApp.JsonAsync(response)).GetProperty("access_token").GetString()!;
        Tokens.AddOrUpdate(app, token);
        return token;
    }

    /// <summary>Sends <paramref name="body"/> (an object as JSON, a string as it is) with the admin's token (or <paramref name="token"/>).</summary>
    public static async Task<HttpResponseMessage> AdminAsync(IhuiApp app, HttpMethod method, string path, object? body = null, string? token = null)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Content = body switch
            {
                null => null,
                string raw => new StringContent(raw, System.Text.Encoding.UTF8, "application/json"),
                _ => JsonContent.Create(body),
            },
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? await AdminTokenAsync(app));
        return await app.CreateClient().SendAsync(request);
    }

    /// <summary>The <c>data</c> of an admin route's <c>200 {"code":0,"data":…}</c> (anything else fails the test, showing the body).</summary>
    public static async Task<JsonElement> DataAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        var json = JsonDocument.Parse(text).RootElement;
        Assert.Equal(0, json.GetProperty("code").GetInt32());
        return json.GetProperty("data").Clone();
    }

    /// <summary>
    /// Replaces every channel row with <paramref name="rows"/> (their credentials sealed: a key, or for Kling and Jimeng
    /// <see cref="ChannelStore.Pack"/>'s pair) and reloads routing.
    /// </summary>
    public static async Task SetChannelsAsync(IhuiApp app, params (ChannelRow Row, string? Key)[] rows)
    {
        await app.Services.GetRequiredService<Db>().ExecuteWriteAsync("DELETE FROM channels");
        var store = app.Services.GetRequiredService<ChannelStore>();
        foreach (var (row, key) in rows)
            await store.SaveAsync(row with { Credential = key is null ? null : store.Seal(key), CredentialHint = key?[^4..] });
        await app.Services.GetRequiredService<ChannelRouter>().ReloadAsync();
    }
}
