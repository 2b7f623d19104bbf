using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Voice;

public sealed class BrowserVoiceApp() : KestrelVoiceApp();

/// <summary>
/// <c>/playground/voice</c> in a real headless Chromium (Debian's): its fake microphone plays a WAV of real speech,
/// the page records it, sends the packets, and plays the streamed MP3; the test reads the page through the DevTools
/// protocol and asserts it shows the transcription and played audio, and that the fake ASR got the spoken audio.
/// </summary>
public sealed partial class VoicePlaygroundBrowserTests(BrowserVoiceApp app) : IClassFixture<BrowserVoiceApp>
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task The_page_records_the_microphone_shows_the_transcription_and_plays_the_answer()
    {
        Assert.True(File.Exists(Chromium), "Debian's chromium is required (.ci/run installs it)");
        app.Voice.ResetVoice();
        var (_, key) = await app.UserWithKeyAsync();
        var wav = TestSpeech.WavFile("今天天气怎么样？我想出去走走。", 16000);
        var profile = Directory.CreateTempSubdirectory("ihui-chromium-");
        var start = new ProcessStartInfo(Chromium) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                     "--use-file-for-fake-audio-capture=" + wav, "--autoplay-policy=no-user-gesture-required",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                     "--user-data-dir=" + profile.FullName, "--remote-debugging-port=0", "about:blank",
                 })
            start.ArgumentList.Add(a);
        using var browser = Process.Start(start)!;
        try
        {
            var devtools = await DevToolsUrlAsync(browser);
            using var http = new HttpClient();
            var target = JsonDocument.Parse(await http.GetStringAsync(new Uri(devtools, "/json/list"))).RootElement
                .EnumerateArray().First(t => t.GetProperty("type").GetString() == "page");
            using var cdp = new ClientWebSocket();
            await cdp.ConnectAsync(new Uri(target.GetProperty("webSocketDebuggerUrl").GetString()!), CancellationToken.None);
            var page = new Uri(app.Address, $"/playground/voice?auto=1&seconds=3&api_key={key}");
            await CallAsync(cdp, "Page.navigate", new { url = page.AbsoluteUri });

            var deadline = DateTime.UtcNow.AddSeconds(60);
            string state = "";
            while (DateTime.UtcNow < deadline)
            {
                state = await EvalAsync(cdp, "document.getElementById('state').textContent");
                if (state == "done" || state.StartsWith("error", StringComparison.Ordinal)) break;
                await Task.Delay(250);
            }
            Assert.Equal("done", state);
            Assert.Equal(app.Voice.Transcript, await EvalAsync(cdp, "document.getElementById('transcription').textContent"));
            Assert.Equal(app.Voice.Reply, await EvalAsync(cdp, "document.getElementById('answer').textContent"));
            var played = double.Parse(await EvalAsync(cdp, "document.getElementById('played').textContent"), System.Globalization.CultureInfo.InvariantCulture);
            var sent = app.Voice.PcmBytesSent / 2.0 / 24000;
            Assert.InRange(played, sent * 0.98, sent * 1.02 + 0.1); // the browser decoded and scheduled every MP3 chunk
            // What the page recorded from the (fake) microphone reached ASR as about 3 s of MP3.
            Assert.InRange(TestSpeech.DecodedSeconds(app.Voice.AsrAudio.Single()), 2.0, 5.0);
        }
        finally
        {
            browser.Kill(entireProcessTree: true);
            await browser.WaitForExitAsync();
            try { profile.Delete(true); } catch (IOException) { }
        }
    }

    private static async Task<Uri> DevToolsUrlAsync(Process browser)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await browser.StandardError.ReadLineAsync(timeout.Token) is { } line)
            if (DevTools().Match(line) is { Success: true } m) return new Uri(m.Groups[1].Value);
        throw new InvalidOperationException("chromium printed no DevTools address");
    }

    private static int _id;

    private static async Task<JsonElement> CallAsync(ClientWebSocket cdp, string method, object parameters)
    {
        var id = Interlocked.Increment(ref _id);
        await cdp.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { id, method, @params = parameters })), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[1 << 20];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult r;
            do
            {
                r = await cdp.ReceiveAsync(buffer, new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
                message.Write(buffer, 0, r.Count);
            } while (!r.EndOfMessage);
            var root = JsonDocument.Parse(message.ToArray()).RootElement;
            if (root.TryGetProperty("id", out var got) && got.GetInt32() == id) return root.Clone();
        }
    }

    private static async Task<string> EvalAsync(ClientWebSocket cdp, string expression)
    {
        var result = await CallAsync(cdp, "Runtime.evaluate", new { expression, returnByValue = true });
        return result.GetProperty("result").GetProperty("result").TryGetProperty("value", out var v) ? v.ToString() : "";
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")] private static partial Regex DevTools();
}
