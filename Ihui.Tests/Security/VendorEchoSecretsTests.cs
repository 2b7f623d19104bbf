using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;
using Ihui.Tests.MediaVendors;

namespace Ihui.Tests.Security;

/// <summary>
/// Vendors that echo the request they received (its Authorization header, signed query, JWT, key header and body) in
/// their 4xx/5xx error bodies. Whatever the vendor says reaches the caller only scrubbed: no response, error frame,
/// call row or log line may hold a configured secret or anything shaped like a credential.
/// </summary>
public static partial class Leaks
{
    public static readonly int[] Statuses = [400, 401, 403, 429, 500, 503];

    [GeneratedRegex(@"Bearer (?!\*\*\*)[A-Za-z0-9]|eyJ[A-Za-z0-9_\-]{4,}\.|(?:Credential|Signature|authorization)=(?!\*\*\*)|\bsk-(?!\*\*\*)[A-Za-z0-9]|AIza(?!\*\*\*)[A-Za-z0-9]|AKLT(?!\*\*\*)[A-Za-z0-9]|HMAC-SHA256 (?!\*\*\*)\w",
        RegexOptions.IgnoreCase)]
    private static partial Regex CredentialShape();

    /// <summary>Fails when <paramref name="text"/> holds a secret or a credential-shaped value; shows the offending part.</summary>
    public static void AssertClean(string text, params string[] secrets)
    {
        foreach (var secret in secrets.SelectMany(s => s.Split('.').Append(s)).Where(s => s.Length >= 8))
        {
            var at = text.IndexOf(secret, StringComparison.Ordinal);
            Assert.True(at < 0, $"secret found: …{Around(text, at)}…");
        }
        var m = CredentialShape().Match(text);
        Assert.False(m.Success, $"credential-shaped text found: …{Around(text, m.Index)}…");
    }

    private static string Around(string text, int at) => text.Substring(Math.Max(0, at - 80), Math.Min(200, text.Length - Math.Max(0, at - 80)));

    /// <summary>The call rows' error messages and the log lines written since <paramref name="logsBefore"/>, plus the bodies.</summary>
    public static async Task<string> EverythingAsync(IhuiApp app, string userId, int logsBefore, IEnumerable<string> bodies)
    {
        var calls = await app.CallsAsync(userId);
        return string.Join("\n", bodies) + "\n" + string.Join("\n", calls.Select(c => c.ErrorMessage)) + "\n"
               + string.Join("\n", app.Logs.Lines.Skip(logsBefore));
    }
}

public sealed class EchoIhuiApp : IhuiApp
{
    protected override string MinimumLogLevel => "Verbose";
}

public sealed class EchoMediaApp : MediaTasksApp
{
    protected override string MinimumLogLevel => "Verbose";
}

public sealed class EchoChatApp : ChatStreamApp
{
    protected override string MinimumLogLevel => "Verbose";
}

public sealed class EchoTasksApp : TasksApp
{
    protected override string MinimumLogLevel => "Verbose";
}

public sealed class DashScopeAndGeminiEchoTests(EchoIhuiApp app) : IClassFixture<EchoIhuiApp>, IDisposable
{
    public void Dispose()
    {
        app.DashScope.Reset();
        app.Gemini.Reset();
    }

    [Fact]
    public async Task DashScope_and_Gemini_echoes_are_scrubbed()
    {
        var user = await app.CreateUserAsync(1_000_000);
        var http = app.CreateClient();
        var logs = app.Logs.Lines.Count;
        var bodies = new List<string>();
        foreach (var status in Leaks.Statuses)
        {
            (app.DashScope.Mode, app.DashScope.FailStatus) = (FakeMode.Echo, status);
            (app.Gemini.Mode, app.Gemini.FailStatus) = (FakeMode.Echo, status);
            var vision = await http.PostAsJsonAsync("/cozeZhsApi/dashscope/vision/chat",
                new { prompt = "hi", image_urls = new[] { "https://e.com/a.png" }, user_uuid = user.Id, chat_id = "echo" });
            var gemini = await http.PostAsJsonAsync("/gemini/3/generate", new { prompt = "hi", user_uuid = user.Id });
            Assert.False(vision.IsSuccessStatusCode);
            Assert.False(gemini.IsSuccessStatusCode);
            bodies.Add(await vision.Content.ReadAsStringAsync());
            bodies.Add(await gemini.Content.ReadAsStringAsync());
        }
        Assert.Equal(Leaks.Statuses.Length, app.DashScope.Received.Length);
        Assert.Contains(bodies, b => b.Contains("invalid request for key")); // the echo did reach the caller
        Leaks.AssertClean(await Leaks.EverythingAsync(app, user.Id, logs, bodies), IhuiApp.DashScopeKey, IhuiApp.GeminiKey);
    }
}

public sealed class MediaVendorEchoTests(EchoMediaApp app) : IClassFixture<EchoMediaApp>, IDisposable
{
    public void Dispose() => app.ResetFakes();

    private static readonly string[] Secrets =
        [MediaVendorsApp.JimengAk, MediaVendorsApp.JimengSk, MediaVendorsApp.KlingAk, MediaVendorsApp.KlingSk, MediaVendorsApp.SunoKey, MediaVendorsApp.LuyalaKey];

    [Theory]
    [InlineData("kling")]
    [InlineData("jimeng")]
    [InlineData("volcengine")]
    [InlineData("suno")]
    [InlineData("luyala")]
    public async Task A_vendor_echo_is_scrubbed_everywhere(string vendor)
    {
        var user = await app.CreateUserAsync(10_000_000);
        var http = app.CreateClient();
        var logs = app.Logs.Lines.Count;
        var bodies = new List<string>();
        FakeVendor fake = vendor switch
        {
            "kling" => app.Kling, "jimeng" or "volcengine" => app.Jimeng, "suno" => app.Suno, _ => app.Luyala,
        };
        foreach (var status in Leaks.Statuses)
        {
            (fake.Mode, fake.FailStatus) = (FakeMode.Echo, status);
            var (route, body) = vendor switch
            {
                "kling" => ("/cozeZhsApi/kling/generate/o1", (object)new { prompt = "城市夜景", model = "kling-o1", duration = 5, user_uuid = user.Id }),
                "jimeng" => ("/cozeZhsApi/proxy/volcengine/visual/jimeng_t2v_v30_1080p", new { prompt = "p", model = "jimeng-t2v-1080p", duration = 5, user_uuid = user.Id }),
                "volcengine" => ("/cozeZhsApi/proxy/volcengine/image", new { prompt = "p", n = 1, user_uuid = user.Id }),
                "suno" => ("/suno/generate/music", new { prompt = "关于月亮的歌", model = "suno-v3", user_uuid = user.Id }),
                _ => ("/cozeZhsApi/luyala/chat/completions", new { prompt = "春眠不觉晓", user_uuid = user.Id }),
            };
            var response = await http.PostAsJsonAsync(route, body);
            Assert.False(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            bodies.Add(await response.Content.ReadAsStringAsync());
        }
        Assert.True(fake.Received.Length >= Leaks.Statuses.Length);
        Assert.Contains(bodies, b => b.Contains("invalid request for key"));
        Leaks.AssertClean(await Leaks.EverythingAsync(app, user.Id, logs, bodies), Secrets);
    }
}

public sealed class ChatVendorEchoTests(EchoChatApp app) : IClassFixture<EchoChatApp>, IDisposable
{
    public void Dispose()
    {
        foreach (var fake in app.ChatFakes) fake.Reset();
    }

    [Theory]
    [InlineData("/cozeZhsApi/ws/doubao/streamDou", "doubao")]
    [InlineData("/cozeZhsApi/ws/qwen/stream", "dashscope")]
    [InlineData("/cozeZhsApi/ws/zhipu/stream", "zhipu")]
    [InlineData("/cozeZhsApi/ws/chatdeepseek/stream", "deepseek")]
    public async Task A_chat_vendor_echo_is_scrubbed_in_error_frames_call_rows_and_logs(string route, string vendor)
    {
        var user = await app.CreateUserAsync(1_000_000);
        var logs = app.Logs.Lines.Count;
        var fake = app.Fake(vendor);
        var frames = new List<string>();
        await using var ws = await app.ConnectAsync(route, user.Id);
        foreach (var status in Leaks.Statuses)
        {
            (fake.Mode, fake.FailStatus) = (FakeMode.Echo, status);
            await ws.SendChatAsync("你好");
            var turn = await ws.ReadTurnAsync();
            Assert.Equal("error", turn[^1].GetProperty("type").GetString());
            frames.AddRange(turn.Select(f => f.GetRawText()));
        }
        Assert.Equal(Leaks.Statuses.Length, fake.Received.Length);
        Assert.Contains(frames, f => f.Contains("invalid request for key"));
        Leaks.AssertClean(await Leaks.EverythingAsync(app, user.Id, logs, frames),
            ChatStreamApp.ArkKey, ChatStreamApp.ZhipuKey, ChatStreamApp.DeepSeekKey, IhuiApp.DashScopeKey);
    }
}

public sealed class TaskVendorEchoTests(EchoTasksApp app) : IClassFixture<EchoTasksApp>, IDisposable
{
    public void Dispose()
    {
        app.Ark.Reset();
        app.DashScopeTasks.Reset();
    }

    [Theory]
    [InlineData("ark")]
    [InlineData("dashscope")]
    public async Task An_echo_from_a_task_vendor_is_scrubbed(string vendor)
    {
        var user = await app.CreateUserAsync(10_000_000);
        var http = app.CreateClient();
        var logs = app.Logs.Lines.Count;
        FakeVendor fake = vendor == "ark" ? app.Ark : app.DashScopeTasks;
        var bodies = new List<string>();
        foreach (var status in Leaks.Statuses)
        {
            (fake.Mode, fake.FailStatus) = (FakeMode.Echo, status);
            var (response, _) = vendor == "ark"
                ? await TasksApp.PostAsync(http, "/cozeZhsApi/proxy/doubao-seedream-generation", new { prompt = "赛博朋克城市", user_uuid = user.Id })
                : await TasksApp.PostAsync(http, "/cozeZhsApi/dashscope/image/generate/qwen-image", new { prompt = "一只猫", user_uuid = user.Id });
            Assert.False(response.IsSuccessStatusCode);
            bodies.Add(await response.Content.ReadAsStringAsync());
        }
        Assert.Contains(bodies, b => b.Contains("invalid request for key"));
        Leaks.AssertClean(await Leaks.EverythingAsync(app, user.Id, logs, bodies), TasksApp.ArkKey, IhuiApp.DashScopeKey);
    }
}

public sealed class IFlytekEchoTests(IFlytekApp app) : IClassFixture<IFlytekApp>, IDisposable
{
    public void Dispose() => app.XFyun.ResetAll();

    [Fact]
    public async Task Spark_dictation_and_ocr_echoes_of_the_signed_url_are_scrubbed()
    {
        var user = await app.CreateUserAsync(1_000_000, 100);
        var http = app.CreateClient();
        var logs = app.Logs.Lines.Count;
        var bodies = new List<string>();
        app.XFyun.Mode = FakeMode.Echo;
        app.XFyun.FailStatus = 403;
        foreach (var code in new[] { 10013, 10160, 11200, 10700, 99999 })
        {
            app.XFyun.FailCode = code;
            var chat = await http.PostAsJsonAsync("/textModel/chat",
                new { uuid = user.Id, dialog = new[] { new { role = "user", content = "你好" } } });
            bodies.Add(await chat.Content.ReadAsStringAsync());

            using var voice = new HttpRequestMessage(HttpMethod.Post, "/voiceModel/chat") { Content = new ByteArrayContent(new byte[3200]) };
            voice.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            voice.Headers.Add("uuid", user.Id);
            bodies.Add(await (await http.SendAsync(voice)).Content.ReadAsStringAsync());

            using var picture = new HttpRequestMessage(HttpMethod.Post, "/PictureToTextModel/chat") { Content = new ByteArrayContent([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xD9]) };
            picture.Content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            picture.Headers.Add("uuid", user.Id);
            bodies.Add(await (await http.SendAsync(picture)).Content.ReadAsStringAsync());
        }
        Assert.Contains(bodies, b => b.Contains("invalid request for key"));
        Leaks.AssertClean(await Leaks.EverythingAsync(app, user.Id, logs, bodies), IFlytekApp.ApiKey, IFlytekApp.ApiSecret);
    }
}
