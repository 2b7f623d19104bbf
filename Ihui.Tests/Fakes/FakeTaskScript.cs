using System.Collections.Concurrent;

namespace Ihui.Tests.Fakes;

/// <summary>The states a fake async vendor reports on successive polls of one task; the last one repeats.</summary>
public sealed class FakeTaskScript(params string[] states)
{
    private readonly ConcurrentDictionary<string, int> _polls = new();

    public IReadOnlyList<string> States { get; set; } = states;

    public string Next(string taskId)
    {
        var n = _polls.AddOrUpdate(taskId, 0, (_, i) => i + 1);
        return States[Math.Min(n, States.Count - 1)];
    }

    public void Reset(params string[] states)
    {
        _polls.Clear();
        States = states;
    }
}
