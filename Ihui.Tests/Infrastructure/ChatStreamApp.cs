using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Dapper;
using Ihui.Features.Common.Data;
using Ihui.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Tests.Infrastructure;

/// <summary>The host with every chat-stream vendor pointed at a fake: Ark, DashScope, Zhipu (JWT-checking) and DeepSeek.</summary>
public class ChatStreamApp : IhuiApp, IAsyncLifetime
{
    public const string ArkKey = "ark-test-0123456789";
    public const string ZhipuKey = "f988a7e2fa896d55b5ea6f51.7a154a191c21299e";
    public const string DeepSeekKey = "sk-test-deepseek-0123456789";

    public FakeOpenAiVendor Ark { get; } = new("/api/v3/chat/completions", ArkKey);
    public FakeOpenAiVendor Zhipu { get; } = new("/api/paas/v4/chat/completions", ZhipuKey, ZhipuJwtVerifier.For(ZhipuKey));
    public FakeOpenAiVendor DeepSeek { get; } = new("/chat/completions", DeepSeekKey);

    public FakeOpenAiVendor Fake(string vendor) => vendor switch
    {
        "doubao" => Ark,
        "dashscope" => DashScope,
        "zhipu" => Zhipu,
        "deepseek" => DeepSeek,
        _ => throw new ArgumentOutOfRangeException(nameof(vendor)),
    };

    public IEnumerable<FakeOpenAiVendor> ChatFakes => [Ark, DashScope, Zhipu, DeepSeek];

    public override async Task InitializeAsync()
    {
        await Ark.StartAsync();
        await Zhipu.StartAsync();
        await DeepSeek.StartAsync();
        await base.InitializeAsync();
    }

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
    [
        new("DOUBAO_API_KEY", ArkKey), new("DOUBAO_BASE_URL", Ark.BaseUrl + "/api/v3"), new("DOUBAO_TIMEOUT_SECONDS", "3"),
        new("GLM_API_KEY", ZhipuKey), new("GLM_BASE_URL", Zhipu.BaseUrl + "/api/paas/v4"), new("GLM_TIMEOUT_SECONDS", "3"),
        new("DEEPSEEK_API_KEY", DeepSeekKey), new("DEEPSEEK_BASE_URL", DeepSeek.BaseUrl), new("DEEPSEEK_TIMEOUT_SECONDS", "3"),
        new("DASHSCOPE_TIMEOUT_SECONDS", "3"),
        .. MoreSettings(),
    ];

    protected virtual IEnumerable<KeyValuePair<string, string?>> MoreSettings() => [];

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Ark.DisposeAsync();
        await Zhipu.DisposeAsync();
        await DeepSeek.DisposeAsync();
    }

    public async Task<ChatSocket> ConnectAsync(string route, string? userUuid, string? clientId = null)
    {
        var query = new List<string>();
        if (clientId is not null) query.Add("client_id=" + Uri.EscapeDataString(clientId));
        if (userUuid is not null) query.Add("user_uuid=" + Uri.EscapeDataString(userUuid));
        var uri = new Uri(Server.BaseAddress, route + (query.Count > 0 ? "?" + string.Join('&', query) : "")) is var u
            ? new UriBuilder(u) { Scheme = "ws" }.Uri : null!;
        var socket = await Server.CreateWebSocketClient().ConnectAsync(uri, CancellationToken.None);
        return new ChatSocket(socket);
    }

    public async Task<List<(string Role, string Content)>> ChatMessagesAsync(string chatId)
    {
        await using var c = await Services.GetRequiredService<Db>().OpenAsync();
        return (await c.QueryAsync<(string, string)>(
            "SELECT role, content FROM chat_messages WHERE chat_id = @chatId ORDER BY created_at, CASE role WHEN 'user' THEN 0 ELSE 1 END",
            new { chatId })).ToList();
    }

    public async Task<bool> CallUsageEstimatedAsync(string callId)
    {
        await Services.GetRequiredService<Ihui.Features.Common.CallLog.CallLogStore>().FlushAsync();
        await using var c = await Services.GetRequiredService<Db>().OpenAsync();
        return await c.ExecuteScalarAsync<bool>("SELECT usage_estimated FROM calls WHERE id = @callId", new { callId });
    }
}

/// <summary>A test client's chat-stream socket: sends frames, reads JSON frames with a timeout.</summary>
public sealed class ChatSocket(WebSocket socket) : IAsyncDisposable
{
    public WebSocket Socket => socket;

    public Task SendAsync(object frame) => SendTextAsync(JsonSerializer.Serialize(frame));

    public Task SendTextAsync(string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendChatAsync(string? prompt, string? chatId = null) =>
        SendAsync(new { type = "chat", data = new { prompt, chat_id = chatId } });

    /// <summary>The next frame, or null when the server closed the socket.</summary>
    public async Task<JsonElement?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage) break;
        }
        using var doc = JsonDocument.Parse(message.ToArray());
        return doc.RootElement.Clone();
    }

    public async Task<JsonElement> ExpectAsync(string type)
    {
        var frame = await ReceiveAsync() ?? throw new Xunit.Sdk.XunitException($"socket closed while waiting for {type}");
        Assert.Equal(type, frame.GetProperty("type").GetString());
        return frame;
    }

    /// <summary>Reads frames up to and including the first <c>done</c> or <c>error</c>.</summary>
    public async Task<List<JsonElement>> ReadTurnAsync()
    {
        var frames = new List<JsonElement>();
        while (true)
        {
            var frame = await ReceiveAsync() ?? throw new Xunit.Sdk.XunitException("socket closed mid-turn");
            frames.Add(frame);
            if (frame.GetProperty("type").GetString() is "done" or "error") return frames;
        }
    }

    /// <summary>Reads a turn and returns its <c>done</c> frame (failing with the error frame's text otherwise).</summary>
    public async Task<JsonElement> ExpectDoneAsync()
    {
        var last = (await ReadTurnAsync())[^1];
        if (last.GetProperty("type").GetString() != "done") throw new Xunit.Sdk.XunitException("expected done, got " + last.GetRawText());
        return last;
    }

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
