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
}
