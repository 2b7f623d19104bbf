using Dapper;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Users;
using Ihui.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Tests.Infrastructure;

/// <summary>The host with iFlytek configured and pointed at <see cref="FakeIFlytek"/>; dictation frames are not paced.</summary>
public class IFlytekApp : IhuiApp, IAsyncLifetime
{
    public const string AppId = "5f0a1b2c";
    public const string ApiKey = "test-xfyun-key-0123456789abcdef";
    public const string ApiSecret = "test-xfyun-secret-MjlmNzkzNmZkMDQ2";

    public FakeIFlytek XFyun { get; } = new(AppId, ApiKey, ApiSecret);

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

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings()
    {
        var ws = "ws" + XFyun.BaseUrl["http".Length..];
        return new Dictionary<string, string?>
        {
            ["XFYUN_APP_ID"] = AppId,
            ["XFYUN_API_KEY"] = ApiKey,
            ["XFYUN_API_SECRET"] = ApiSecret,
            ["XFYUN_SPARK_URL"] = ws,
            ["XFYUN_SPARK_PATH"] = FakeIFlytek.SparkPath,
            ["XFYUN_SPARK_DOMAIN"] = "generalv3.5",
            ["XFYUN_SPARK_MAX_TOKENS"] = "1000",
            ["XFYUN_IAT_URL"] = ws + FakeIFlytek.IatPath,
            ["XFYUN_OCR_URL"] = XFyun.BaseUrl + FakeIFlytek.OcrPath,
            ["XFYUN_TIMEOUT_SECONDS"] = "2",
            ["XFYUN_IAT_FRAME_INTERVAL_MS"] = "0",
        };
    }

    public async Task<UserRecord> CreateUserAsync(long balance, int picTimes, string? username = null) =>
        await Services.GetRequiredService<UserStore>().CreateAsync(username ?? "u" + Guid.NewGuid().ToString("N")[..12], balance, picTimes: picTimes);

    public async Task<int> PicTimesAsync(string userId)
    {
        await using var c = await Services.GetRequiredService<Db>().OpenAsync();
        return await c.ExecuteScalarAsync<int>("SELECT pic_times FROM users WHERE id = @userId", new { userId });
    }

    public async Task<List<(int Delta, string Kind, string? CallId)>> PicLedgerAsync(string userId)
    {
        await using var c = await Services.GetRequiredService<Db>().OpenAsync();
        return (await c.QueryAsync<(int, string, string?)>(
            "SELECT delta, kind, call_id FROM pic_times_ledger WHERE user_id = @userId ORDER BY created_at, id", new { userId })).ToList();
    }
}
