using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.MediaVendors;

/// <summary>The host with the media vendors (Jimeng, Kling, Suno, Luyala) pointed at their fakes.</summary>
public class MediaVendorsApp : IhuiApp, IAsyncLifetime
{
    public const string JimengAk = "AKLTtestjimeng0123456789abcdef";
    public const string JimengSk = "c2VjcmV0LWppbWVuZy10ZXN0LWtleS0wMTIzNDU2Nzg5";
    public const string KlingAk = "47698d69cb472dbfeedde42ef84c79c2";
    public const string KlingSk = "fd982fdf87091014a80887323e4fde85";
    public const string SunoKey = "sk-test-suno-0123456789";
    public const string LuyalaKey = "sk-test-luyala-0123456789";

    public FakeJimeng Jimeng { get; } = new(JimengAk, JimengSk);
    public FakeKling Kling { get; } = new(KlingAk, KlingSk);
    public FakeSuno Suno { get; } = new(SunoKey);
    public FakeOpenAiVendor Luyala { get; } = new("/v1/chat/completions", LuyalaKey);

    public override async Task InitializeAsync()
    {
        await Jimeng.StartAsync();
        await Kling.StartAsync();
        await Suno.StartAsync();
        await Luyala.StartAsync();
        await base.InitializeAsync();
    }

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
    [
        new("DOUBAO_JM_API_KEY", JimengAk), new("DOUBAO_JM_SECRET_KEY", JimengSk), new("JIMENG_BASE_URL", Jimeng.BaseUrl), new("JIMENG_TIMEOUT_SECONDS", "2"),
        new("KLING_ACCESS_KEY", KlingAk), new("KLING_SECRET_KEY", KlingSk), new("KLING_BASE_URL", Kling.BaseUrl), new("KLING_TIMEOUT_SECONDS", "2"),
        new("SUNO_API_KEY", SunoKey), new("SUNO_BASE_URL", Suno.BaseUrl), new("SUNO_TIMEOUT_SECONDS", "2"),
        new("LUYALA_API_KEY", LuyalaKey), new("LUYALA_BASE_URL", Luyala.BaseUrl + "/v1"), new("LUYALA_TIMEOUT_SECONDS", "2"),
        .. MoreSettings(),
    ];

    protected virtual IEnumerable<KeyValuePair<string, string?>> MoreSettings() => [];

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await DisposeFakesAsync();
    }

    /// <summary>Stops the fakes once the host is gone; a fixture with more fakes stops them here too.</summary>
    protected virtual async Task DisposeFakesAsync()
    {
        await Jimeng.DisposeAsync();
        await Kling.DisposeAsync();
        await Suno.DisposeAsync();
        await Luyala.DisposeAsync();
    }

    public void ResetFakes()
    {
        DashScope.Reset();
        Jimeng.Reset();
        Kling.Reset();
        Suno.Reset();
        Luyala.Reset();
    }
}

/// <summary>A clock a fixed offset from the real one (stale or future-dated signatures).</summary>
public sealed class ShiftedClock(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + offset;
}
