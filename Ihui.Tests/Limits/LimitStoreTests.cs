using Ihui.Features.Common.Limits;
using Ihui.Features.Common.Redis;
using Ihui.Tests.Operations;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ihui.Tests.Limits;

/// <summary>What every limit store does; run on the in-process store and, where a server is given, on Redis.</summary>
public abstract class LimitStoreContract
{
    protected abstract ILimitStore Store { get; }

    protected static LimitPlan Plan(string user, string? key = null, int userRpm = 0, int keyRpm = 0, int userSlots = 0, int keySlots = 0,
        int group = 0) => new(user, key, userRpm, keyRpm, group, TimeSpan.FromSeconds(60), userSlots, keySlots);

    protected static string NewId() => Guid.NewGuid().ToString("N");

    protected async Task Parallel_requests_never_get_more_than_the_limit_()
    {
        var user = NewId();
        var results = await Task.WhenAll(Enumerable.Range(0, 300).Select(_ => Task.Run(async () =>
            (await Store.AcquireAsync(Plan(user, userRpm: 50), default)).Allowed)));
        Assert.Equal(50, results.Count(a => a));
    }

    protected async Task A_request_refused_by_one_limit_is_counted_by_none_()
    {
        var user = NewId();
        var (k1, k2) = (NewId(), NewId());
        Assert.True((await Store.AcquireAsync(Plan(user, k1, userRpm: 2, keyRpm: 1), default)).Allowed);
        var byKey = await Store.AcquireAsync(Plan(user, k1, userRpm: 2, keyRpm: 1), default);
        Assert.Equal(LimitKind.KeyRate, byKey.Refused);
        Assert.InRange(byKey.RetryAfter, TimeSpan.FromSeconds(55), TimeSpan.FromSeconds(60));
        // The refusal by the key did not count against the user: the second key still gets the user's second request.
        Assert.True((await Store.AcquireAsync(Plan(user, k2, userRpm: 2, keyRpm: 1), default)).Allowed);
        var byUser = await Store.AcquireAsync(Plan(user, NewId(), userRpm: 2, keyRpm: 1), default);
        Assert.Equal(LimitKind.UserRate, byUser.Refused);
        // Another user is not affected.
        Assert.True((await Store.AcquireAsync(Plan(NewId(), k1, userRpm: 2, keyRpm: 1), default)).Allowed);
    }

    protected async Task Slots_are_held_until_released_per_user_and_per_key_()
    {
        var user = NewId();
        var (k1, k2) = (NewId(), NewId());
        var a = await Store.AcquireAsync(Plan(user, k1, userSlots: 2, keySlots: 1), default);
        Assert.True(a.Allowed);
        var byKey = await Store.AcquireAsync(Plan(user, k1, userSlots: 2, keySlots: 1), default);
        Assert.Equal((LimitKind.KeyConcurrency, TimeSpan.FromSeconds(1)), (byKey.Refused, byKey.RetryAfter));
        var b = await Store.AcquireAsync(Plan(user, k2, userSlots: 2, keySlots: 1), default);
        Assert.True(b.Allowed);
        Assert.Equal(LimitKind.UserConcurrency, (await Store.AcquireAsync(Plan(user, NewId(), userSlots: 2, keySlots: 1), default)).Refused);
        Store.Release(a.Lease);
        LimitDecision again = default;
        await Eventually(async () => (again = await Store.AcquireAsync(Plan(user, k1, userSlots: 2, keySlots: 1), default)).Allowed);
        Store.Release(again.Lease);
        Store.Release(b.Lease);
    }

    protected async Task The_seed_003_window_is_its_own_()
    {
        var user = NewId();
        for (var i = 0; i < 3; i++) Assert.True((await Store.AcquireAsync(Plan(user, group: 3), default)).Allowed);
        Assert.Equal(LimitKind.GroupRate, (await Store.AcquireAsync(Plan(user, group: 3), default)).Refused);
        Assert.True((await Store.AcquireAsync(Plan(user, userRpm: 10), default)).Allowed); // a route outside the group
    }

    /// <summary>A release may reach a shared store a moment after it returns.</summary>
    private static async Task Eventually(Func<Task<bool>> attempt)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!await attempt())
        {
            Assert.True(DateTime.UtcNow < until, "the released slot was never free again");
            await Task.Delay(20);
        }
    }
}

public sealed class MemoryLimitStoreTests : LimitStoreContract
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private readonly ManualClock _clock = new();
    private readonly MemoryLimitStore _store;

    public MemoryLimitStoreTests() => _store = new MemoryLimitStore(_clock);

    protected override ILimitStore Store => _store;

    [Fact] public Task Parallel_requests_never_get_more_than_the_limit() => Parallel_requests_never_get_more_than_the_limit_();
    [Fact] public Task A_request_refused_by_one_limit_is_counted_by_none() => A_request_refused_by_one_limit_is_counted_by_none_();
    [Fact] public Task Slots_are_held_until_released_per_user_and_per_key() => Slots_are_held_until_released_per_user_and_per_key_();
    [Fact] public Task The_seed_003_window_is_its_own() => The_seed_003_window_is_its_own_();

    [Fact]
    public async Task The_window_slides_and_a_refusal_says_when_the_request_that_must_leave_leaves()
    {
        for (var i = 0; i < 100; i++)
        {
            Assert.True((await _store.AcquireAsync(Plan("a", userRpm: 100), default)).Allowed);
            _clock.Now += TimeSpan.FromMilliseconds(300); // 100 requests over 30 s
        }
        var refused = await _store.AcquireAsync(Plan("a", userRpm: 100), default);
        Assert.Equal((LimitKind.UserRate, TimeSpan.FromSeconds(30)), (refused.Refused, refused.RetryAfter));
        _clock.Now += TimeSpan.FromSeconds(30); // t = 60 s: the first request has left; the other 99 have not
        Assert.True((await _store.AcquireAsync(Plan("a", userRpm: 100), default)).Allowed);
        Assert.False((await _store.AcquireAsync(Plan("a", userRpm: 100), default)).Allowed);
        // The limit lowered to 10: 90 of the 100 counted must leave; the 91st oldest was counted at 27.3 s.
        var lowered = await _store.AcquireAsync(Plan("a", userRpm: 10), default);
        Assert.Equal(TimeSpan.FromMilliseconds(27_300), lowered.RetryAfter);
    }

    [Fact]
    public async Task Idle_users_are_dropped_but_not_while_they_hold_a_slot()
    {
        var held = await _store.AcquireAsync(Plan("holder", userSlots: 1), default);
        Assert.True((await _store.AcquireAsync(Plan("passer", userRpm: 5), default)).Allowed);
        _clock.Now += TimeSpan.FromMinutes(3);
        Assert.True((await _store.AcquireAsync(Plan("third", userRpm: 5), default)).Allowed); // the sweep runs on a request
        Assert.Equal(2, _store.Users); // "passer" went; "holder" still holds its slot
        Assert.Equal(LimitKind.UserConcurrency, (await _store.AcquireAsync(Plan("holder", userSlots: 1), default)).Refused);
        _store.Release(held.Lease);
        Assert.True((await _store.AcquireAsync(Plan("holder", userSlots: 1), default)).Allowed);
    }
}

public sealed class RedisLimitStoreTests : LimitStoreContract, IAsyncLifetime
{
    private readonly RedisConnection _redis = new(
        new RedisOptions(Infrastructure.ClusterApp.RedisUrl is { } url ? RedisOptions.Parse(url) : null, $"ihui-test-{Guid.NewGuid():N}:"),
        NullLogger<RedisConnection>.Instance);

    private RedisLimitStore? _store;

    // The renewal test uses a lease long enough that a busy CI machine's late timer tick cannot let a slot lapse.
    private static readonly TimeSpan RenewedLease = TimeSpan.FromSeconds(3);

    private RedisLimitStore NewStore() => NewStore(TimeSpan.FromMilliseconds(900));

    private RedisLimitStore NewStore(TimeSpan lease) =>
        new(_redis, new LimitOptions { ConcurrencyLease = lease }, NullLogger<RedisLimitStore>.Instance);

    private RedisLimitStore Redis => _store ??= NewStore();

    protected override ILimitStore Store => Redis;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_store is not null) await _store.StopAsync(default);
        await _redis.DisposeAsync();
    }

    [RedisFact] public Task Parallel_requests_never_get_more_than_the_limit() => Parallel_requests_never_get_more_than_the_limit_();
    [RedisFact] public Task A_request_refused_by_one_limit_is_counted_by_none() => A_request_refused_by_one_limit_is_counted_by_none_();
    [RedisFact] public Task Slots_are_held_until_released_per_user_and_per_key() => Slots_are_held_until_released_per_user_and_per_key_();
    [RedisFact] public Task The_seed_003_window_is_its_own() => The_seed_003_window_is_its_own_();

    [RedisFact]
    public async Task A_held_slot_is_renewed_while_it_runs_and_an_abandoned_one_frees_itself_when_its_lease_ends()
    {
        _store = NewStore(RenewedLease);
        await Redis.StartAsync(default); // renews every second
        var user = NewId();
        var held = await Redis.AcquireAsync(Plan(user, userSlots: 1), default);
        Assert.True(held.Allowed);
        await Task.Delay(RenewedLease * 2.2); // over two lease lengths: still held, because it is renewed
        Assert.Equal(LimitKind.UserConcurrency, (await Redis.AcquireAsync(Plan(user, userSlots: 1), default)).Refused);
        Redis.Release(held.Lease);
        Assert.Equal(0, Redis.Held);

        // An instance that died: its slot is never released nor renewed (a second store, never started, plays it).
        var dead = NewStore(RenewedLease);
        var other = NewId();
        Assert.True((await dead.AcquireAsync(Plan(other, userSlots: 1), default)).Allowed);
        Assert.False((await Redis.AcquireAsync(Plan(other, userSlots: 1), default)).Allowed);
        await Task.Delay(RenewedLease + TimeSpan.FromMilliseconds(600));
        Assert.True((await Redis.AcquireAsync(Plan(other, userSlots: 1), default)).Allowed);
    }
}
