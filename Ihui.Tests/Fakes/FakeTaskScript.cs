using System.Collections.Concurrent;

namespace Ihui.Tests.Fakes;

/// <summary>
/// The states a fake async vendor reports on successive polls of one task; the last one repeats. It also remembers the
/// task ids the fake issued (across resets), so the fake can answer an id it never issued the way its vendor does.
/// </summary>
public sealed class FakeTaskScript(params string[] states)
{
    private readonly ConcurrentDictionary<string, int> _polls = new();
    private readonly ConcurrentDictionary<string, bool> _issued = new();

    public string Issue(string taskId)
    {
        _issued[taskId] = true;
        return taskId;
    }

    public bool Knows(string taskId) => _issued.ContainsKey(taskId);

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
