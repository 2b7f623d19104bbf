using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.MediaVendors;

/// <summary>The media vendors' fakes with the task engine on short timings: an HTTP task call waits up to 10 s.</summary>
public class MediaTasksApp : MediaVendorsApp
{
    protected virtual int WaitSeconds => 10;

    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings() => TasksApp.EngineSettings(poller: true, WaitSeconds);
}

/// <summary>An HTTP task call does not wait: it answers with the running task's id at once.</summary>
public sealed class MediaTasksNoWaitApp : MediaTasksApp
{
    protected override int WaitSeconds => 0;
}
