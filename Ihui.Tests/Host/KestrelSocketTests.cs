using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Host;

/// <summary>A chat socket on the real server (Kestrel, not the test server), as a client meets it.</summary>
public sealed class KestrelSocketTests
{
    [Fact]
    public async Task A_text_frame_that_is_not_utf8_closes_with_1007_and_a_lone_surrogate_is_an_error_frame()
    {
        var dir = Directory.CreateTempSubdirectory("ihui-kestrel-");
        try
        {
            var env = new Dictionary<string, string> { ["SQLITE_PATH"] = Path.Combine(dir.FullName, "ihui.db") };
            var created = await ApiProcess.RunAsync(env, ["create-user", "kestrel-user", "1000"]);
            Assert.Equal(0, created.ExitCode);
            var uuid = created.StdOut.Split(' ', '\n').Single(w => w.StartsWith("user_uuid=", StringComparison.Ordinal))["user_uuid=".Length..];

            await using var host = ApiProcess.Start(env);
            var address = new Uri(await host.AddressAsync());
            var uri = new UriBuilder(address) { Scheme = "ws", Path = "/cozeZhsApi/ws/doubao/streamDou", Query = "user_uuid=" + uuid }.Uri;

            using var ws = new ClientWebSocket();
            await ws.ConnectAsync(uri, CancellationToken.None);
            Assert.Equal("connected", (await ReceiveAsync(ws))!.Value.GetProperty("type").GetString());

            await ws.SendAsync(Encoding.UTF8.GetBytes("""{"type":"chat","data":{"prompt":"hi \ud800"}}"""), WebSocketMessageType.Text, true, CancellationToken.None);
            var error = (await ReceiveAsync(ws))!.Value;
            Assert.Equal(("error", 400), (error.GetProperty("type").GetString(), error.GetProperty("code").GetInt32()));
            await ws.SendAsync("""{"type":"ping"}"""u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
            Assert.Equal("pong", (await ReceiveAsync(ws))!.Value.GetProperty("type").GetString());

            await ws.SendAsync(new byte[] { 0xC3, 0x28 }, WebSocketMessageType.Text, true, CancellationToken.None);
            Assert.Null(await ReceiveAsync(ws)); // no frame but the close, well before the receive's 15 s
            // The server sends 1007 and hangs up at once (.NET's WebSocket aborts after its own protocol error), so the
            // client either reads the 1007 or, when its close reply crosses the hang-up, sees the connection reset.
            Assert.True(ws.CloseStatus == WebSocketCloseStatus.InvalidPayloadData || ws is { State: WebSocketState.Aborted, CloseStatus: null },
                $"closed with {ws.CloseStatus} in state {ws.State}");

            // The server is fine: a new socket is served.
            using var again = new ClientWebSocket();
            await again.ConnectAsync(uri, CancellationToken.None);
            Assert.Equal("connected", (await ReceiveAsync(again))!.Value.GetProperty("type").GetString());
        }
        finally
        {
            try { dir.Delete(true); } catch (IOException) { }
        }
    }

    private static async Task<JsonElement?> ReceiveAsync(WebSocket ws)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var buffer = new byte[65536];
        using var ms = new MemoryStream();
        try
        {
            while (true)
            {
                var r = await ws.ReceiveAsync(buffer, cts.Token);
                if (r.MessageType == WebSocketMessageType.Close) return null;
                ms.Write(buffer, 0, r.Count);
                if (r.EndOfMessage) return JsonDocument.Parse(ms.ToArray()).RootElement.Clone();
            }
        }
        catch (WebSocketException)
        {
            return null;
        }
    }
}
