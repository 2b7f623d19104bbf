using System.Net;
using System.Net.Http.Headers;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Quotas;
using Ihui.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Slices;

public sealed class IFlytekVoiceAndPictureTests(IFlytekApp app) : IClassFixture<IFlytekApp>, IDisposable
{
    private readonly HttpClient _http = app.CreateClient();

    public void Dispose() => app.XFyun.ResetAll();

    private static byte[] Pcm(int bytes) => Enumerable.Range(0, bytes).Select(i => (byte)(i * 7)).ToArray();

    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, .. "JFIF"u8, 0x00, 1, 2, 3, 4, 5];
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, .. "IHDR"u8];

    private async Task<HttpResponseMessage> PostVoiceAsync(byte[] audio, string? uuid, string? username = null, bool inQuery = false)
    {
        var path = inQuery && uuid is not null ? $"/voiceModel/chat?uuid={uuid}" : "/voiceModel/chat";
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(audio) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (!inQuery && uuid is not null) request.Headers.Add("uuid", uuid);
        if (username is not null) request.Headers.Add("username", username);
        return await _http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> PostPictureAsync(byte[] image, string? uuid, string? username)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/PictureToTextModel/chat") { Content = new ByteArrayContent(image) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        if (uuid is not null) request.Headers.Add("uuid", uuid);
        if (username is not null) request.Headers.Add("username", username);
        return await _http.SendAsync(request);
    }

    [Fact]
    public async Task Voice_recognises_pcm_sent_in_1280_byte_frames_and_charges_per_second()
    {
        var user = await app.CreateUserAsync(1_000);
        var audio = Pcm(32_000 * 2 + 1_000); // 2.03125 s
        var sessions = app.XFyun.IatSessions.Count;

        var response = await PostVoiceAsync(audio, user.Id, user.Username);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await IhuiApp.JsonAsync(response);
        Assert.Equal(0, json.GetProperty("code").GetInt32());
        Assert.Equal("请求成功", json.GetProperty("msg").GetString());
        Assert.Equal("你好世界", json.GetProperty("content").GetString()); // the "rpl" result replaced the first partial one
        // 2.03125 s × 10 per second × 2.0 = 40.625 → 41 tokens.
        Assert.Equal(41, json.GetProperty("consume_token").GetInt64());
        Assert.Equal(1_000 - 41, await app.BalanceAsync(user.Id));
        Assert.Equal(await app.BalanceAsync(user.Id), await app.LedgerSumAsync(user.Id));

        var session = app.XFyun.IatSessions.Skip(sessions).Single();
        Assert.True(session.SawLast);
        Assert.Equal(audio, session.Audio);
        Assert.All(session.FrameBytes.SkipLast(1), n => Assert.Equal(1280, n));
        Assert.Equal(audio.Length % 1280, session.FrameBytes[^1]);
        Assert.Equal("wpgs", session.First["business"]!["dwa"]!.GetValue<string>());
        Assert.Equal(IFlytekApp.AppId, session.First["common"]!["app_id"]!.GetValue<string>());

        var call = Assert.Single(await app.CallsAsync(user.Id));
        Assert.Equal(("succeeded", "/voiceModel/chat", "iflytek", "xfyun-iat", 41L), (call.Status, call.Route, call.Vendor, call.Model, call.Charged));
    }

    [Fact]
    public async Task Voice_takes_the_user_from_the_query_string_too_and_refuses_strangers()
    {
        var user = await app.CreateUserAsync(1_000);
        Assert.Equal(HttpStatusCode.OK, (await PostVoiceAsync(Pcm(3_200), user.Id, inQuery: true)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostVoiceAsync(Pcm(3_200), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostVoiceAsync(Pcm(3_200), user.Id, "not-" + user.Username)).StatusCode);
    }

    [Theory]
    [InlineData(0, HttpStatusCode.BadRequest, "empty")]
    [InlineData(6_401, HttpStatusCode.BadRequest, "odd")]
    [InlineData(320, HttpStatusCode.BadRequest, "too short")]
    [InlineData(32_000 * 60 + 2, HttpStatusCode.RequestEntityTooLarge, "too large")]
    public async Task Bad_audio_is_refused_before_dictation_and_nothing_is_charged(int bytes, HttpStatusCode expected, string message)
    {
        var user = await app.CreateUserAsync(10_000);
        var sessions = app.XFyun.Requests.Count;

        var response = await PostVoiceAsync(Pcm(bytes), user.Id);

        Assert.Equal(expected, response.StatusCode);
        var json = await IhuiApp.JsonAsync(response);
        Assert.Equal((int)expected, json.GetProperty("code").GetInt32());
        Assert.Contains(message, json.GetProperty("msg").GetString());
        Assert.Equal(sessions, app.XFyun.Requests.Count);
        Assert.Equal(10_000, await app.BalanceAsync(user.Id));
    }

    [Fact]
    public async Task Dictation_errors_timeouts_and_cuts_refund_the_hold()
    {
        var user = await app.CreateUserAsync(1_000);
        app.XFyun.Mode = FakeMode.Fail;
        app.XFyun.FailCode = 10165;
        Assert.Equal(HttpStatusCode.BadRequest, (await PostVoiceAsync(Pcm(6_400), user.Id)).StatusCode);
        app.XFyun.FailCode = 11203;
        Assert.Equal(HttpStatusCode.TooManyRequests, (await PostVoiceAsync(Pcm(6_400), user.Id)).StatusCode);
        app.XFyun.Mode = FakeMode.CutStream;
        Assert.Equal(HttpStatusCode.BadGateway, (await PostVoiceAsync(Pcm(6_400), user.Id)).StatusCode);
        app.XFyun.Mode = FakeMode.Normal;
        app.XFyun.Stall = true;
        Assert.Equal(HttpStatusCode.RequestTimeout, (await PostVoiceAsync(Pcm(6_400), user.Id)).StatusCode);

        Assert.Equal(1_000, await app.BalanceAsync(user.Id));
        Assert.Equal(1_000, await app.LedgerSumAsync(user.Id));
        Assert.Equal(0, await app.HoldCountAsync(user.Id));
        Assert.Equal(4, (await app.CallsAsync(user.Id)).Count(c => c.Status is "failed" or "timeout" && c.Charged == 0));
    }

    [Fact]
    public async Task Picture_returns_the_text_and_spends_exactly_one_pic_time_on_the_pic_ledger()
    {
        var user = await app.CreateUserAsync(500, picTimes: 3);
        var bodies = app.XFyun.OcrBodies.Count;

        var response = await PostPictureAsync(Png, user.Id, user.Username);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await IhuiApp.JsonAsync(response);
        Assert.Equal(0, json.GetProperty("code").GetInt32());
        Assert.Equal("请求成功", json.GetProperty("msg").GetString());
        Assert.Equal("第一行文字\nHello OCR", json.GetProperty("content").GetString());
        Assert.Equal(2, await app.PicTimesAsync(user.Id));
        Assert.Equal(500, await app.BalanceAsync(user.Id)); // tokens untouched
        Assert.Equal(500, await app.LedgerSumAsync(user.Id));

        var sent = app.XFyun.OcrBodies.Skip(bodies).Single();
        Assert.Equal("png", sent["payload"]!["sf8e6aca1_data_1"]!["encoding"]!.GetValue<string>());
        Assert.Equal(Convert.ToBase64String(Png), sent["payload"]!["sf8e6aca1_data_1"]!["image"]!.GetValue<string>());
        Assert.Equal("ch_en_public_cloud", sent["parameter"]!["sf8e6aca1"]!["category"]!.GetValue<string>());

        var call = Assert.Single(await app.CallsAsync(user.Id));
        var entry = Assert.Single(await app.PicLedgerAsync(user.Id));
        Assert.Equal((-1, "spend", call.Id), entry);
        Assert.Equal(("succeeded", "/PictureToTextModel/chat", "xfyun-ocr"), (call.Status, call.Route, call.Model));
    }

    [Fact]
    public async Task Picture_without_pic_times_is_402_and_ocr_is_not_called()
    {
        var user = await app.CreateUserAsync(100_000, picTimes: 0);
        var requests = app.XFyun.OcrBodies.Count;
        var response = await PostPictureAsync(Jpeg, user.Id, user.Username);
        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Equal(402, (await IhuiApp.JsonAsync(response)).GetProperty("code").GetInt32());
        Assert.Equal(requests, app.XFyun.OcrBodies.Count);
        Assert.Empty(await app.PicLedgerAsync(user.Id));
        Assert.Equal(100_000, await app.BalanceAsync(user.Id));
    }

    [Theory]
    [InlineData("gif", HttpStatusCode.BadRequest)]
    [InlineData("empty", HttpStatusCode.BadRequest)]
    [InlineData("huge", HttpStatusCode.RequestEntityTooLarge)]
    public async Task Bad_images_are_refused_without_spending(string kind, HttpStatusCode expected)
    {
        var user = await app.CreateUserAsync(0, picTimes: 2);
        byte[] image = kind switch
        {
            "gif" => [.. "GIF89a"u8, 1, 0, 1, 0],
            "empty" => [],
            _ => [.. Jpeg, .. new byte[4 * 1024 * 1024]],
        };
        var response = await PostPictureAsync(image, user.Id, user.Username);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal((int)expected, (await IhuiApp.JsonAsync(response)).GetProperty("code").GetInt32());
        Assert.Equal(2, await app.PicTimesAsync(user.Id));
        Assert.Empty(await app.PicLedgerAsync(user.Id));
    }

    [Fact]
    public async Task Picture_needs_matching_uuid_and_username_headers()
    {
        var user = await app.CreateUserAsync(0, picTimes: 2);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostPictureAsync(Jpeg, null, user.Username)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostPictureAsync(Jpeg, user.Id, "intruder")).StatusCode);
        Assert.Equal(2, await app.PicTimesAsync(user.Id));
    }

    [Fact]
    public async Task Ocr_failures_and_timeouts_give_the_pic_time_back()
    {
        var user = await app.CreateUserAsync(0, picTimes: 1);
        app.XFyun.Mode = FakeMode.Fail;
        app.XFyun.FailCode = 10000;
        Assert.Equal(HttpStatusCode.BadGateway, (await PostPictureAsync(Jpeg, user.Id, user.Username)).StatusCode);
        app.XFyun.Mode = FakeMode.Hang;
        Assert.Equal(HttpStatusCode.RequestTimeout, (await PostPictureAsync(Jpeg, user.Id, user.Username)).StatusCode);
        app.XFyun.Mode = FakeMode.Malformed;
        Assert.Equal(HttpStatusCode.BadGateway, (await PostPictureAsync(Jpeg, user.Id, user.Username)).StatusCode);
        app.XFyun.Mode = FakeMode.CutStream;
        Assert.Equal(HttpStatusCode.BadGateway, (await PostPictureAsync(Jpeg, user.Id, user.Username)).StatusCode);
        app.XFyun.Mode = FakeMode.Normal;
        app.XFyun.ApiSecret = "forged";
        Assert.Equal(HttpStatusCode.BadGateway, (await PostPictureAsync(Jpeg, user.Id, user.Username)).StatusCode);

        Assert.Equal(1, await app.PicTimesAsync(user.Id));
        var ledger = await app.PicLedgerAsync(user.Id);
        Assert.Equal(10, ledger.Count);
        Assert.Equal(0, ledger.Sum(e => e.Delta));
        Assert.All(ledger.GroupBy(e => e.CallId), g => Assert.Equal(["refund", "spend"], g.Select(e => e.Kind).Order()));
    }

    [Fact]
    public async Task Granted_pic_times_are_on_the_pic_ledger_too()
    {
        var user = await app.CreateUserAsync(0, picTimes: 1);
        var meter = app.Services.GetRequiredService<PicTimesMeter>();
        await app.Services.GetRequiredService<Db>().WriteAsync((c, tx) => meter.GrantAsync(c, tx, user.Id, 2));
        Assert.Equal(3, await app.PicTimesAsync(user.Id));
        Assert.Equal((2, "grant", (string?)null), Assert.Single(await app.PicLedgerAsync(user.Id)));
        Assert.Equal(HttpStatusCode.OK, (await PostPictureAsync(Jpeg, user.Id, user.Username)).StatusCode);
        Assert.Equal(1 + (await app.PicLedgerAsync(user.Id)).Sum(e => e.Delta), await app.PicTimesAsync(user.Id));
    }

    [Fact]
    public async Task Concurrent_pictures_never_spend_more_pic_times_than_exist()
    {
        var user = await app.CreateUserAsync(0, picTimes: 4);
        app.XFyun.Mode = FakeMode.Slow;
        app.XFyun.Delay = TimeSpan.FromMilliseconds(150);
        var before = app.XFyun.OcrBodies.Count;

        using var start = new SemaphoreSlim(0);
        var calls = Enumerable.Range(0, 20).Select(async _ =>
        {
            await start.WaitAsync();
            return await PostPictureAsync(Jpeg, user.Id, user.Username);
        }).ToList();
        start.Release(20);
        var responses = await Task.WhenAll(calls);

        Assert.True(4 == responses.Count(r => r.StatusCode == HttpStatusCode.OK), string.Join(",", await Task.WhenAll(responses.Select(async r => $"{(int)r.StatusCode}:{await r.Content.ReadAsStringAsync()}"))));
        Assert.Equal(16, responses.Count(r => r.StatusCode == HttpStatusCode.PaymentRequired));
        Assert.Equal(4, app.XFyun.OcrBodies.Count - before);
        Assert.Equal(0, await app.PicTimesAsync(user.Id));
        var ledger = await app.PicLedgerAsync(user.Id);
        Assert.Equal(-4, ledger.Sum(e => e.Delta));
        Assert.All(ledger, e => Assert.Equal("spend", e.Kind));
    }
}
