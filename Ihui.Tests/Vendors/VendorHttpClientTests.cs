using System.Net;
using Ihui.Features.Common.Vendors;
using Ihui.Features.Common.Vendors.IFlytek;
using Ihui.Features.Common.Vendors.Jimeng;
using Ihui.Features.Common.Vendors.Kling;
using Ihui.Features.Common.Vendors.Suno;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Tests.Vendors;

/// <summary>A vendor that sets a cookie, reports the cookies it receives, and redirects.</summary>
public sealed class FakeCookieVendor : FakeVendor
{
    public int TargetHits;

    protected override void Map(WebApplication app)
    {
        app.MapGet("/set-cookie", (HttpContext ctx) =>
        {
            ctx.Response.Headers.SetCookie = "session=vendor-session-of-caller-one; Path=/";
            return Results.Text("set");
        });
        app.MapGet("/cookies", (HttpContext ctx) => Results.Text(ctx.Request.Headers.Cookie.ToString()));
        app.MapGet("/redirect", () => Results.Redirect("/target"));
        app.MapGet("/target", () =>
        {
            Interlocked.Increment(ref TargetHits);
            return Results.Text("followed");
        });
    }
}

/// <summary>Issue 14 item 10: the vendor HTTP clients behave like a proxy's.</summary>
public sealed class VendorHttpClientTests(IhuiApp app) : IClassFixture<IhuiApp>
{
    private static readonly string[] Names =
    [
        .. KnownVendors.All.Select(v => v.HttpClientName), JimengClient.Definition.HttpClientName, KlingClient.Definition.HttpClientName,
        SunoClient.Definition.HttpClientName, OcrClient.HttpClientName,
    ];

    [Fact]
    public async Task Vendor_clients_keep_no_cookies_follow_no_redirects_and_bound_connects_and_connection_lifetimes()
    {
        await using var fake = new FakeCookieVendor();
        await fake.StartAsync();
        var factory = app.Services.GetRequiredService<IHttpClientFactory>();
        foreach (var name in Names)
        {
            var http = factory.CreateClient(name);
            Assert.Equal("set", await http.GetStringAsync(fake.BaseUrl + "/set-cookie"));
            // Another caller of the same vendor client must not be sent what the vendor set for the first.
            Assert.Equal("", await factory.CreateClient(name).GetStringAsync(fake.BaseUrl + "/cookies"));

            using var redirect = await http.GetAsync(fake.BaseUrl + "/redirect");
            Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        }
        Assert.Equal(0, fake.TargetHits);

        var handlers = app.Services.GetRequiredService<IHttpMessageHandlerFactory>();
        foreach (var name in Names)
        {
            HttpMessageHandler? handler = handlers.CreateHandler(name);
            while (handler is DelegatingHandler d) handler = d.InnerHandler;
            var sockets = Assert.IsType<SocketsHttpHandler>(handler);
            Assert.False(sockets.UseCookies);
            Assert.False(sockets.AllowAutoRedirect);
            Assert.InRange(sockets.ConnectTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
            Assert.InRange(sockets.PooledConnectionLifetime, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(30));
        }
    }
}
