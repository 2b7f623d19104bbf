using Ihui.Tests.Fakes;

namespace Ihui.Tests.Accounts;

/// <summary>The admin console (JWT key, root admin) with Spark pointed at <see cref="FakeIFlytek"/>: for <c>/admin/console_test</c>.</summary>
public sealed class ConsoleTestApp : AccountsApp, IAsyncLifetime
{
    public const string AppId = "app-123";

    public FakeIFlytek XFyun { get; } = new(AppId, XfyunKey, XfyunSecret);

    public override async Task InitializeAsync()
    {
        await XFyun.StartAsync();
        await base.InitializeAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await XFyun.DisposeAsync();
    }

    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings() =>
    [
        new("XFYUN_SPARK_URL", "ws" + XFyun.BaseUrl["http".Length..]),
        new("XFYUN_SPARK_PATH", FakeIFlytek.SparkPath),
        new("XFYUN_SPARK_DOMAIN", "generalv3.5"),
        new("XFYUN_SPARK_MAX_TOKENS", "1000"),
        new("XFYUN_TIMEOUT_SECONDS", "2"),
    ];
}
