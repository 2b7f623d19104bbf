using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Ihui.Features.Common.Redis;

/// <summary>The one multiplexer of this instance, connected on first use; keys and channels carry the configured prefix.</summary>
public sealed class RedisConnection(RedisOptions options, ILogger<RedisConnection> logger) : IAsyncDisposable
{
    private readonly Lazy<Task<ConnectionMultiplexer>> _connection = new(async () =>
    {
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(options.Configuration!);
        multiplexer.ConnectionFailed += (_, e) => logger.LogWarning("Redis connection failed: {FailureType}", e.FailureType);
        multiplexer.ConnectionRestored += (_, _) => logger.LogInformation("Redis connection restored");
        return multiplexer;
    });

    public string Key(string name) => options.KeyPrefix + name;
    public RedisChannel Channel(string name) => RedisChannel.Literal(options.KeyPrefix + name);

    public async ValueTask<IDatabase> DatabaseAsync() => (await _connection.Value).GetDatabase();
    public async ValueTask<ISubscriber> SubscriberAsync() => (await _connection.Value).GetSubscriber();

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated)
            try
            {
                await (await _connection.Value).DisposeAsync();
            }
            catch (RedisException)
            {
            }
    }
}
