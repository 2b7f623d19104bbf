using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Redis;
using Ihui.Features.Common.Security;
using Ihui.Tests.Accounts;
using Ihui.Tests.Operations;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ihui.Tests.Security;

/// <summary>What every login-attempt store does; run on the in-process store and, where a server is given, on Redis.</summary>
public abstract class LoginAttemptStoreContract
{
    protected abstract ILoginAttemptStore Store { get; }

    /// <summary>Lets a lockout of <paramref name="lockout"/> end.</summary>
    protected abstract Task PassAsync(TimeSpan lockout);

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Lockout = TimeSpan.FromMilliseconds(700);

    protected async Task Parallel_attempts_beyond_the_limit_are_refused_before_they_run()
    {
        var key = "user|a|" + Guid.NewGuid().ToString("N");
        var begun = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(async () => (await Store.TryBeginAsync(key, 5, Window)).Begun)));
        Assert.Equal(5, begun.Count(b => b));
        // The five running ones fail: the fifth failure locks the key, once.
        var locked = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(async () => await Store.FailAsync(key, 5, Window, Lockout))));
        Assert.Equal(1, locked.Count(l => l));
        var refused = await Store.TryBeginAsync(key, 5, Window);
        Assert.False(refused.Begun);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromMilliseconds(1), Lockout); // the rest of the lockout
        await PassAsync(Lockout);
        Assert.True((await Store.TryBeginAsync(key, 5, Window)).Begun);
    }

    protected async Task A_taken_back_attempt_frees_its_place_and_a_success_forgets_the_failures()
    {
        var key = "admin|a|" + Guid.NewGuid().ToString("N");
        Assert.True((await Store.TryBeginAsync(key, 3, Window)).Begun);
        Assert.True((await Store.TryBeginAsync(key, 3, Window)).Begun);
        Assert.True((await Store.TryBeginAsync(key, 3, Window)).Begun);
        Assert.Equal(new LoginAdmission(false, LoginAdmission.WhileOthersRun), await Store.TryBeginAsync(key, 3, Window)); // three running: full
        await Store.AbandonAsync(key);
        Assert.True((await Store.TryBeginAsync(key, 3, Window)).Begun);
        Assert.False(await Store.FailAsync(key, 3, Window, Lockout));
        Assert.False(await Store.FailAsync(key, 3, Window, Lockout));
        await Store.ClearAsync(key); // a success: neither the failures nor the running attempt count any more
        Assert.True((await Store.TryBeginAsync(key, 3, Window)).Begun);
        Assert.True((await Store.TryBeginAsync(key, 3, Window)).Begun);
        Assert.True((await Store.TryBeginAsync(key, 3, Window)).Begun);
        Assert.False(await Store.FailAsync(key, 3, Window, Lockout));
        Assert.False(await Store.FailAsync(key, 3, Window, Lockout));
        Assert.True(await Store.FailAsync(key, 3, Window, Lockout));
        Assert.False((await Store.TryBeginAsync(key, 3, Window)).Begun);
        Assert.True((await Store.TryBeginAsync("admin|a|other", 3, Window)).Begun);
    }
}

public sealed class MemoryLoginAttemptStoreTests : LoginAttemptStoreContract
{
    private readonly ShiftedClock _clock = new(TimeSpan.Zero);
    private readonly MemoryLoginAttemptStore _store;

    public MemoryLoginAttemptStoreTests() => _store = new MemoryLoginAttemptStore(_clock);

    protected override ILoginAttemptStore Store => _store;

    protected override Task PassAsync(TimeSpan lockout)
    {
        _clock.Advance(lockout + TimeSpan.FromMilliseconds(1));
        return Task.CompletedTask;
    }

    [Fact]
    public Task Parallel_attempts_beyond_the_limit_are_refused_before_they_run_() => Parallel_attempts_beyond_the_limit_are_refused_before_they_run();

    [Fact]
    public Task A_taken_back_attempt_frees_its_place_and_a_success_forgets_the_failures_() =>
        A_taken_back_attempt_frees_its_place_and_a_success_forgets_the_failures();

    [Fact]
    public async Task A_window_that_passed_counts_from_zero()
    {
        var key = "user|ip|10.0.0.1";
        Assert.True((await _store.TryBeginAsync(key, 2, TimeSpan.FromSeconds(10))).Begun);
        Assert.False(await _store.FailAsync(key, 2, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)));
        _clock.Advance(TimeSpan.FromSeconds(11));
        Assert.True((await _store.TryBeginAsync(key, 2, TimeSpan.FromSeconds(10))).Begun);
        Assert.False(await _store.FailAsync(key, 2, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)));
    }
}

public sealed class RedisLoginAttemptStoreTests : LoginAttemptStoreContract, IAsyncLifetime
{
    private readonly RedisConnection _redis = new(
        new RedisOptions(Infrastructure.ClusterApp.RedisUrl is { } url ? RedisOptions.Parse(url) : null, $"ihui-test-{Guid.NewGuid():N}:"),
        NullLogger<RedisConnection>.Instance);

    private RedisLoginAttemptStore? _store;

    protected override ILoginAttemptStore Store => _store ??= new RedisLoginAttemptStore(_redis, NullLogger<RedisLoginAttemptStore>.Instance);

    protected override Task PassAsync(TimeSpan lockout) => Task.Delay(lockout + TimeSpan.FromMilliseconds(300));

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [RedisFact]
    public Task Parallel_attempts_beyond_the_limit_are_refused_before_they_run_() => Parallel_attempts_beyond_the_limit_are_refused_before_they_run();

    [RedisFact]
    public Task A_taken_back_attempt_frees_its_place_and_a_success_forgets_the_failures_() =>
        A_taken_back_attempt_frees_its_place_and_a_success_forgets_the_failures();
}

public sealed class PasswordGateTests
{
    [Fact]
    public async Task Work_past_the_bound_waits_for_a_turn_then_is_a_503_with_retry_after()
    {
        var gate = new PasswordGate(new PasswordGateOptions(2, TimeSpan.FromMilliseconds(300)));
        using var hold = new ManualResetEventSlim();
        var running = 0;
        var peak = 0;
        int Work()
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            hold.Wait(TimeSpan.FromSeconds(30));
            Interlocked.Decrement(ref running);
            return 1;
        }
        var busy = Enumerable.Range(0, 2).Select(_ => Task.Run(async () => await gate.RunAsync(Work, default))).ToList();
        while (Volatile.Read(ref running) < 2) await Task.Delay(10);

        var refused = await Assert.ThrowsAsync<ApiException>(async () => await gate.VerifyAsync(null, "pw", default));
        Assert.Equal(503, refused.Status);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.RetryAfter);

        // A third that arrives while the two run gets the first free turn within its wait.
        var waiting = Task.Run(async () => await gate.RunAsync(Work, default));
        await Task.Delay(50);
        hold.Set();
        Assert.Equal(1, await waiting);
        await Task.WhenAll(busy);
        Assert.Equal(2, peak);
        Assert.Equal(3, gate.Evaluated); // the refused one never ran
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
