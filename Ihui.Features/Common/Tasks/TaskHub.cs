using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Ihui.Features.Common.Tasks;

/// <summary>What happened to a task, as the engine tells the public socket and waiting callers.</summary>
public sealed record TaskEvent(string UserId, string? ChatId, string Kind, TaskView Task);

/// <summary>Carries task events to the other instances (Redis pub/sub when <c>REDIS_URL</c> is set).</summary>
public interface ITaskEventRelay
{
    void Send(TaskEvent e);
}

/// <summary>
/// Fan-out of task events to subscribers (public-socket connections, waiting HTTP calls): this instance's at once,
/// the other instances' through the <see cref="Relay"/>, which hands theirs to <see cref="Deliver"/>.
/// A slow subscriber drops its oldest events rather than slowing the engine.
/// </summary>
public sealed class TaskHub
{
    private readonly ConcurrentDictionary<Guid, Subscription> _subscriptions = new();

    public ITaskEventRelay? Relay { get; set; }

    public sealed class Subscription(TaskHub hub, Guid id, string userId, string? chatId) : IDisposable
    {
        private readonly Channel<TaskEvent> _channel = Channel.CreateBounded<TaskEvent>(
            new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public string UserId => userId;
        public ChannelReader<TaskEvent> Events => _channel.Reader;

        internal bool Accepts(TaskEvent e) => e.UserId == userId && (chatId is null || e.ChatId == chatId);
        internal void Write(TaskEvent e) => _channel.Writer.TryWrite(e);

        public void Dispose()
        {
            hub._subscriptions.TryRemove(id, out _);
            _channel.Writer.TryComplete();
        }
    }

    /// <summary>Events of one user's tasks, optionally only those of one chat.</summary>
    public Subscription Subscribe(string userId, string? chatId = null)
    {
        var id = Guid.NewGuid();
        var subscription = new Subscription(this, id, userId, string.IsNullOrEmpty(chatId) ? null : chatId);
        _subscriptions[id] = subscription;
        return subscription;
    }

    /// <summary>An event of this instance: to its subscribers and to the other instances.</summary>
    public void Publish(TaskEvent e)
    {
        Deliver(e);
        Relay?.Send(e);
    }

    /// <summary>To this instance's subscribers only (an event relayed from another instance).</summary>
    public void Deliver(TaskEvent e)
    {
        foreach (var s in _subscriptions.Values)
            if (s.Accepts(e)) s.Write(e);
    }
}
