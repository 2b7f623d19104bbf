using Ihui.Features.Common.Redis;
using Ihui.Features.Common.Security;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ihui.Tests.Operations;

/// <summary>Runs where a Redis server is given (<c>IHUI_TEST_REDIS</c>, as in CI).</summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (Infrastructure.ClusterApp.RedisUrl is null) Skip = "needs IHUI_TEST_REDIS (CI sets it)";
    }
}

/// <summary>The Redis stores against a real server, each test under a key prefix of its own.</summary>
public sealed class RedisStoreTests : IAsyncLifetime
{
    private readonly RedisConnection _redis = new(
        new RedisOptions(Infrastructure.ClusterApp.RedisUrl is { } url ? RedisOptions.Parse(url) : null, $"ihui-test-{Guid.NewGuid():N}:"),
        NullLogger<RedisConnection>.Instance);

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [RedisFact]
    public async Task Login_failures_lock_at_the_limit_for_the_lockout_and_a_success_clears_the_count()
    {
        var store = new RedisLoginAttemptStore(_redis, NullLogger<RedisLoginAttemptStore>.Instance);
        Assert.False(await store.CountFailureAsync("user|a|x", 3, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(600)));
        await store.ClearAsync("user|a|x");
        Assert.False(await store.CountFailureAsync("user|a|x", 3, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(600)));
        Assert.False(await store.CountFailureAsync("user|a|x", 3, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(600)));
        Assert.False(await store.IsLockedAsync("user|a|x"));
        Assert.True(await store.CountFailureAsync("user|a|x", 3, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(600)));
        Assert.True(await store.IsLockedAsync("user|a|x"));
        Assert.False(await store.IsLockedAsync("user|a|y"));
        await Task.Delay(1000);
        Assert.False(await store.IsLockedAsync("user|a|x"));
    }

    [RedisFact]
    public async Task Concurrent_failures_lock_exactly_once()
    {
        var store = new RedisLoginAttemptStore(_redis, NullLogger<RedisLoginAttemptStore>.Instance);
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            store.CountFailureAsync("user|ip|1.2.3.4", 10, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)).AsTask()));
        // 50 failures against a limit of 10: the 10th, 20th, … each lock (the count starts again after a lock).
        Assert.Equal(5, results.Count(r => r));
    }
}
