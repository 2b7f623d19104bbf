using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ihui.Tests.Fakes;

/// <summary>What a fake vendor does with the next requests.</summary>
public enum FakeMode
{
    Normal,
    /// <summary>Answers normally after <see cref="FakeVendor.Delay"/>.</summary>
    Slow,
    /// <summary>Answers <see cref="FakeVendor.FailStatus"/> with the vendor's error body.</summary>
    Fail,
    /// <summary>Never answers (until the caller gives up).</summary>
    Hang,
    /// <summary>Answers 200 with a body that is not the vendor's JSON.</summary>
    Malformed,
    /// <summary>Streams part of the answer, then drops the connection.</summary>
    CutStream,
    /// <summary>
    /// Answers <see cref="FakeVendor.FailStatus"/> with an error body that echoes what was received (the credentials
    /// first: headers, query, then the body), in every common error field, as some vendors do.
    /// </summary>
    Echo,
}

public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// An in-process vendor on 127.0.0.1 (a real socket). Subclasses speak one vendor's wire format and check
/// its auth the way the vendor does; this base records requests and applies the failure modes.
/// </summary>
public abstract class FakeVendor : IAsyncDisposable
{
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();
    public FakeMode Mode { get; set; } = FakeMode.Normal;
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(50);
    public int FailStatus { get; set; } = 500;

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        ConfigureServices(builder.Services);
        _app = builder.Build();
        _app.Use(async (ctx, next) =>
        {
            ctx.Request.EnableBuffering();
            var body = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
            ctx.Request.Body.Position = 0;
            var recorded = new RecordedRequest(ctx.Request.Method, ctx.Request.Path, ctx.Request.QueryString.Value ?? "",
                ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body);
            ctx.Items[typeof(RecordedRequest)] = recorded;
            Requests.Enqueue(recorded);
            switch (Mode)
            {
                case FakeMode.Slow:
                    await Task.Delay(Delay, ctx.RequestAborted);
                    break;
                case FakeMode.Hang:
                    await Task.Delay(Timeout.Infinite, ctx.RequestAborted).ContinueWith(_ => { });
                    return;
                case FakeMode.Echo when !string.Equals(ctx.Request.Headers.Upgrade, "websocket", StringComparison.OrdinalIgnoreCase):
                    ctx.Response.StatusCode = FailStatus;
                    ctx.Response.ContentType = "application/json";
                    var echo = Echo(recorded);
                    await ctx.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(new
                    {
                        error = new { message = echo, code = "echo", type = "invalid_request_error" },
                        code = FailStatus,
                        message = echo,
                        msg = echo,
                        ResponseMetadata = new { Error = new { Code = "Echo", Message = echo } },
                    }));
                    return;
                case FakeMode.Malformed:
                    ctx.Response.ContentType = "application/json";
                    await ctx.Response.WriteAsync("{\"choices\": [ this is not json");
                    return;
            }
            await next(ctx);
        });
        Map(_app);
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    protected abstract void Map(WebApplication app);

    /// <summary>What an echoing vendor says back: the credential-bearing headers first, then the query and the body.</summary>
    public static string Echo(RecordedRequest r)
    {
        string[] first = ["Authorization", "x-goog-api-key", "X-Api-Key", "api-key", "X-Date", "X-Content-Sha256"];
        var headers = first.Where(r.Headers.ContainsKey).Select(h => $"{h}: {r.Headers[h]}")
            .Concat(r.Headers.Where(h => !first.Contains(h.Key, StringComparer.OrdinalIgnoreCase)).Select(h => $"{h.Key}: {h.Value}"));
        return $"invalid request for key {string.Join(", ", headers)} query {r.Query} body {r.Body}";
    }

    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public RecordedRequest[] Received => Requests.ToArray();

    /// <summary>The request being answered (the queue's last entry may be another, concurrent one).</summary>
    protected static RecordedRequest Current(HttpContext ctx) => (RecordedRequest)ctx.Items[typeof(RecordedRequest)]!;

    public void Reset()
    {
        Requests.Clear();
        Mode = FakeMode.Normal;
        FailStatus = 500;
        Delay = TimeSpan.FromMilliseconds(50);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
