using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Ihui.Features.Common.ApiKeys;
using Ihui.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Tests.Infrastructure;

/// <summary>The host with DashScope (ASR, chat, realtime TTS) pointed at <see cref="FakeDashScopeVoice"/> and a local object store.</summary>
public class VoiceApp : IhuiApp, IAsyncLifetime
{
    public FakeDashScopeVoice Voice { get; }

    public VoiceApp() : this(null)
    {
    }

    protected VoiceApp(int? vendorSendBuffer) => Voice = new FakeDashScopeVoice(DashScopeKey) { SendBufferBytes = vendorSendBuffer };
    public string StorageDir { get; } = Directory.CreateTempSubdirectory("ihui-voice-store-").FullName;

    public override async Task InitializeAsync()
    {
        Voice.SpeechPcm = TestSpeech.Pcm("今天天气晴朗，气温二十度。", 24000);
        await Voice.StartAsync();
        await base.InitializeAsync();
    }

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
    [
        new("DASHSCOPE_BASE_URL", Voice.BaseUrl), new("DASHSCOPE_TIMEOUT_SECONDS", "5"),
        new("REAL_TIME_AUDIO_URL", Voice.WsUrl()), new("TTS_STALL_TIMEOUT_SECONDS", "2"),
        new("STORAGE_DIR", StorageDir),
        new("Prices:qwen-tts-realtime:Per1KOut", "1000"),
        .. MoreSettings(),
    ];

    protected virtual IEnumerable<KeyValuePair<string, string?>> MoreSettings() => [];

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Voice.DisposeAsync();
        try { Directory.Delete(StorageDir, true); } catch (IOException) { }
    }

    public async Task<(string UserId, string Key)> UserWithKeyAsync(long balance = 1_000_000)
    {
        var user = await CreateUserAsync(balance);
        var (_, secret) = await Services.GetRequiredService<ApiKeyStore>().CreateAsync(user.Id, null, null, null, null, CancellationToken.None);
        return (user.Id, secret);
    }

    public async Task<List<(string Role, string Content)>> ChatMessagesOfAsync(string chatId)
    {
        await using var c = await Services.GetRequiredService<Ihui.Features.Common.Data.Db>().OpenAsync();
        return (await Dapper.SqlMapper.QueryAsync<(string, string)>(c, "SELECT role, content FROM chat_messages WHERE chat_id = @chatId", new { chatId })).ToList();
    }

    public async Task<VoiceClient> ConnectAsync(string route, string? key, string? query = null, bool header = true)
    {
        var uri = new UriBuilder(new Uri(Server.BaseAddress, route)) { Scheme = "ws", Query = query ?? (header || key is null ? "" : "api_key=" + key) }.Uri;
        var client = Server.CreateWebSocketClient();
        if (header && key is not null) client.ConfigureRequest = r => r.Headers.Authorization = "Bearer " + key;
        return new VoiceClient(await client.ConnectAsync(uri, CancellationToken.None));
    }
}

/// <summary>A seed-004 client: sends packets, reads the keyed frames (<c>{"event": {...}}</c>).</summary>
public sealed class VoiceClient(WebSocket socket) : IAsyncDisposable
{
    public WebSocket Socket => socket;
    public List<byte[]> Mp3Chunks { get; } = [];

    public Task SendTextAsync(string text) => socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendAsync(object frame) => SendTextAsync(JsonSerializer.Serialize(frame));

    /// <summary>Sends <paramref name="bytes"/> as seq/total packets of <paramref name="packetBytes"/>; returns the packet count.</summary>
    public async Task<int> SendUploadAsync(byte[] bytes, int packetBytes = 8192, string? type = null, bool readAcks = true)
    {
        var total = (bytes.Length + packetBytes - 1) / packetBytes;
        for (var i = 0; i < total; i++)
        {
            var data = Convert.ToBase64String(bytes, i * packetBytes, Math.Min(packetBytes, bytes.Length - i * packetBytes));
            await SendAsync(type is null ? new { seq = i + 1, total, data } : new { seq = i + 1, total, type, data });
            if (readAcks)
            {
                var (k, ack) = await ExpectAsync("packet_ack");
                Assert.Equal(i + 1, ack.GetProperty("seq").GetInt32());
            }
        }
        return total;
    }

    /// <summary>The next frame as (key, body), or null when the server closed the socket.</summary>
    public async Task<(string Key, JsonElement Body)?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            WebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(buffer, cts.Token);
            }
            catch (WebSocketException)
            {
                return null;
            }
            if (result.MessageType == WebSocketMessageType.Close) return null;
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage) break;
        }
        using var doc = JsonDocument.Parse(message.ToArray());
        var prop = doc.RootElement.EnumerateObject().Single();
        return (prop.Name, prop.Value.Clone());
    }

    public async Task<(string Key, JsonElement Body)> ExpectAsync(string key)
    {
        var frame = await ReceiveAsync() ?? throw new Xunit.Sdk.XunitException($"socket closed while waiting for {key}");
        if (frame.Key != key) throw new Xunit.Sdk.XunitException($"expected {key}, got {frame.Key}: {frame.Body.GetRawText()}");
        return frame;
    }

    /// <summary>Reads frames up to and including <paramref name="last"/> (or an error frame when <paramref name="stopAtError"/>); collects the MP3.</summary>
    public async Task<List<(string Key, JsonElement Body)>> ReadUntilAsync(string last, bool stopAtError = false, TimeSpan? timeout = null)
    {
        var frames = new List<(string, JsonElement)>();
        while (true)
        {
            var frame = await ReceiveAsync(timeout) ?? throw new Xunit.Sdk.XunitException($"socket closed before {last}; got {string.Join(", ", frames.Select(f => f.Item1))}");
            frames.Add(frame);
            if (frame.Key == "audio_stream" && frame.Body.GetProperty("event").GetString() == "data")
                Mp3Chunks.Add(Convert.FromBase64String(frame.Body.GetProperty("data").GetString()!));
            if (frame.Key == last || stopAtError && frame.Key == "error") return frames;
        }
    }

    public byte[] Mp3 => Mp3Chunks.SelectMany(c => c).ToArray();

    public async ValueTask DisposeAsync()
    {
        if (socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }
        socket.Dispose();
    }
}

/// <summary>The voice host on a real Kestrel socket (loopback, random port): for a real client's backpressure and for Chromium.</summary>
public class KestrelVoiceApp(int? vendorSendBuffer = null, int? serverSendBuffer = null) : VoiceApp(vendorSendBuffer)
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (serverSendBuffer is { } size)
            builder.ConfigureServices(services => services.Configure<Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions>(o =>
                o.CreateBoundListenSocket = endpoint =>
                {
                    var s = Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
                    s.SendBufferSize = size;
                    return s;
                }));
    }

    public Uri Address { get; private set; } = null!;

    protected override void BuildHost()
    {
        UseKestrel(0);
        StartServer();
        Address = new Uri(Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "127.0.0.1"));
    }

    /// <summary>A real client socket whose kernel receive buffer is <paramref name="receiveBuffer"/> bytes, so a slow reader is felt upstream.</summary>
    public async Task<VoiceClient> ConnectRealAsync(string route, string key, int receiveBuffer)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var s = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp)
                {
                    ReceiveBufferSize = receiveBuffer,
                    NoDelay = true,
                };
                await s.ConnectAsync(context.DnsEndPoint, ct);
                return new System.Net.Sockets.NetworkStream(s, ownsSocket: true);
            },
        };
        var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("Authorization", "Bearer " + key);
        await ws.ConnectAsync(new UriBuilder(new Uri(Address, route)) { Scheme = "ws" }.Uri, new HttpMessageInvoker(handler), CancellationToken.None);
        return new VoiceClient(ws);
    }
}
