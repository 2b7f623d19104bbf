using System.Text.Json;
using Ihui.Features.Common.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Ihui.Features.Common.Redis;

/// <summary>
/// Task events over one Redis channel: each instance publishes its own and delivers the others' to its subscribers,
/// so a public-socket client on instance B hears of a task polled by instance A. Pub/sub is at most once; a client
/// that misses an event still sees the task's state in <c>GET /tasks/{id}</c>, and a waiting call re-reads the database.
/// </summary>
public sealed class RedisTaskRelay(RedisConnection redis, TaskHub hub, ILogger<RedisTaskRelay> logger) : IHostedService, ITaskEventRelay
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _origin = Guid.NewGuid().ToString("N");
    private readonly RedisChannel _channel = redis.Channel("task-events");
    private ISubscriber? _subscriber;

    private sealed record Envelope(string Origin, TaskEvent Event);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _subscriber = await redis.SubscriberAsync();
        try
        {
            await _subscriber.SubscribeAsync(_channel, (_, message) => Receive(message));
        }
        catch (RedisException e)
        {
            // The multiplexer subscribes again by itself when the connection comes back.
            logger.LogWarning("Subscribing to task events failed, events of other instances are late until Redis is back: {Error}", e.Message);
        }
        hub.Relay = this;
    }

    public void Send(TaskEvent e)
    {
        if (_subscriber is null) return;
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Envelope(_origin, e), Json);
        _subscriber.PublishAsync(_channel, payload, CommandFlags.FireAndForget);
    }

    private void Receive(RedisValue message)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize<Envelope>((byte[])message!, Json);
            if (envelope is null || envelope.Origin == _origin) return;
            hub.Deliver(envelope.Event);
        }
        catch (JsonException e)
        {
            logger.LogWarning("Ignored a malformed task event from Redis: {Error}", e.Message);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        hub.Relay = null;
        if (_subscriber is not null)
            try
            {
                await _subscriber.UnsubscribeAsync(_channel);
            }
            catch (RedisException)
            {
            }
    }
}
