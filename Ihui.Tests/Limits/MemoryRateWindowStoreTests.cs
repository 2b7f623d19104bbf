using Ihui.Features.Common.Limits;

namespace Ihui.Tests.Limits;

public sealed class MemoryRateWindowStoreTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task The_window_slides_a_refusal_says_when_to_come_back_and_keys_do_not_share_it()
    {
        var clock = new ManualClock();
        var store = new MemoryRateWindowStore(clock);
        var window = TimeSpan.FromMinutes(1);
        for (var i = 0; i < 100; i++)
        {
            Assert.True((await store.TryAcquireAsync("user:a", 100, window, default)).Allowed);
            clock.Now += TimeSpan.FromMilliseconds(300); // 100 requests over 30 s
        }
        var refused = await store.TryAcquireAsync("user:a", 100, window, default);
        Assert.False(refused.Allowed);
        // The first request was counted 30 s ago: it leaves the window in 30 s.
        Assert.Equal(TimeSpan.FromSeconds(30), refused.RetryAfter);
        Assert.True((await store.TryAcquireAsync("user:b", 100, window, default)).Allowed);

        clock.Now += TimeSpan.FromSeconds(30); // the first request has left; the other 99 have not
        Assert.True((await store.TryAcquireAsync("user:a", 100, window, default)).Allowed);
        Assert.False((await store.TryAcquireAsync("user:a", 100, window, default)).Allowed);
        clock.Now += TimeSpan.FromSeconds(61);
        for (var i = 0; i < 100; i++) Assert.True((await store.TryAcquireAsync("user:a", 100, window, default)).Allowed);
    }

    [Fact]
    public async Task Concurrent_requests_never_get_more_than_the_limit()
    {
        var store = new MemoryRateWindowStore(TimeProvider.System);
        var results = await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => Task.Run(async () =>
            (await store.TryAcquireAsync("user:c", 100, TimeSpan.FromMinutes(5), default)).Allowed)));
        Assert.Equal(100, results.Count(a => a));
    }
}
