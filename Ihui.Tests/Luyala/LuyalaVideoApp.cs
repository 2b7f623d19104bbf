using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Luyala;

/// <summary>The task host (short timings, see <see cref="TasksApp"/>) with Luyala pointed at its video fake.</summary>
public class LuyalaVideoApp : TasksApp, IAsyncLifetime
{
    public const string LuyalaKey = "sk-test-luyala-video-0123456789";
    public const int VideoSeconds = 8;

    public FakeLuyalaVideo Luyala { get; } = new(LuyalaKey);

    // Long enough for a normal job (≈1 s of polls) on a loaded machine; the deadline leaves room after a held job.
    protected override int WaitSeconds => 6;

    public override async Task InitializeAsync()
    {
        await Luyala.StartAsync();
        await base.InitializeAsync();
    }

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
    [
        .. base.ExtraSettings(),
        new("TASK_DEADLINE_SECONDS", "30"),
        new("LUYALA_API_KEY", LuyalaKey), new("LUYALA_BASE_URL", Luyala.BaseUrl + "/v1"), new("LUYALA_TIMEOUT_SECONDS", "2"),
        new("LUYALA_VIDEO_SECONDS", VideoSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        .. MoreSettings(),
    ];

    protected virtual IEnumerable<KeyValuePair<string, string?>> MoreSettings() => [];

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Luyala.DisposeAsync();
    }
}

public sealed class NoLuyalaKeyApp : LuyalaVideoApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings() => [new("LUYALA_API_KEY", "")];
}
