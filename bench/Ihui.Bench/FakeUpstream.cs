using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Ihui.Bench;

/// <summary>
/// An OpenAI-compatible upstream on loopback: a fixed answer (JSON or SSE with usage) after a fixed think time,
/// so that what differs between a direct call and a call through Ihui is Ihui.
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    public const string Key = "sk-bench-upstream";
    private WebApplication? _app;
    public string BaseUrl { get; private set; } = "";

    public async Task StartAsync(int chunks, TimeSpan chunkGap)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, SignalsEndTheHarness>();
        _app = builder.Build();
        var json = Encoding.UTF8.GetBytes(
            "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1714645945,\"model\":\"bench\",\"choices\":[{\"index\":0," +
            "\"message\":{\"role\":\"assistant\",\"content\":\"hello from the fake upstream\"},\"finish_reason\":\"stop\"}]," +
            "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":6,\"total_tokens\":18}}");
        var chunk = Encoding.UTF8.GetBytes(
            "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1714645945,\"model\":\"bench\"," +
            "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok \"},\"finish_reason\":null}]}\n\n");
        var usage = Encoding.UTF8.GetBytes(
            "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1714645945,\"model\":\"bench\",\"choices\":[]," +
            $"\"usage\":{{\"prompt_tokens\":12,\"completion_tokens\":{chunks},\"total_tokens\":{12 + chunks}}}}}\n\ndata: [DONE]\n\n");

        _app.MapPost("/{**path}", async (HttpContext ctx) =>
        {
            if (ctx.Request.Headers.Authorization != $"Bearer {Key}") { ctx.Response.StatusCode = 401; return; }
            using var reader = new StreamReader(ctx.Request.Body);
            var body = await reader.ReadToEndAsync();
            if (!body.Contains("\"stream\":true", StringComparison.Ordinal))
            {
                ctx.Response.ContentType = "application/json";
                await ctx.Response.Body.WriteAsync(json);
                return;
            }
            ctx.Response.ContentType = "text/event-stream";
            // "hold-<ms>" in a message spreads the chunks over that long: the open-streams phase keeps streams open.
            var gap = HoldOf(body) is { } hold ? hold / Math.Max(1, chunks - 1) : chunkGap;
            for (var i = 0; i < chunks; i++)
            {
                if (i > 0 && gap > TimeSpan.Zero) await Task.Delay(gap, ctx.RequestAborted);
                await ctx.Response.Body.WriteAsync(chunk);
                await ctx.Response.Body.FlushAsync();
            }
            await ctx.Response.Body.WriteAsync(usage);
        });
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    private static TimeSpan? HoldOf(string body)
    {
        var at = body.IndexOf("hold-", StringComparison.Ordinal);
        if (at < 0) return null;
        var end = at + 5;
        while (end < body.Length && char.IsAsciiDigit(body[end])) end++;
        return int.TryParse(body.AsSpan(at + 5, end - at - 5), out var ms) ? TimeSpan.FromMilliseconds(ms) : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}

/// <summary>The bare pass-through: forwards the body to the upstream and copies the answer back, nothing else.</summary>
public sealed class BareProxy : IAsyncDisposable
{
    private WebApplication? _app;
    public string BaseUrl { get; private set; } = "";

    public async Task StartAsync(string upstream, string listenUrl = "http://127.0.0.1:0")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(listenUrl);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, SignalsEndTheHarness>();
        _app = builder.Build();
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 });
        _app.MapPost("/{**path}", async (HttpContext ctx, string path) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{upstream}/{path}") { Content = new StreamContent(ctx.Request.Body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.TryAddWithoutValidation("Authorization", ctx.Request.Headers.Authorization.ToString());
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ctx.RequestAborted);
            ctx.Response.StatusCode = (int)response.StatusCode;
            ctx.Response.ContentType = response.Content.Headers.ContentType?.ToString();
            await using var body = await response.Content.ReadAsStreamAsync(ctx.RequestAborted);
            var buffer = new byte[16 * 1024];
            int n;
            while ((n = await body.ReadAsync(buffer, ctx.RequestAborted)) > 0)
            {
                await ctx.Response.Body.WriteAsync(buffer.AsMemory(0, n), ctx.RequestAborted);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            }
        });
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
