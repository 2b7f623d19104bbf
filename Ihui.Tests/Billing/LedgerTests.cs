using Dapper;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Data;
using Ihui.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Tests.Billing;

public sealed class LedgerTests(LedgerApp app) : IClassFixture<LedgerApp>
{
    private Ledger Ledger => app.Services.GetRequiredService<Ledger>();

    [Fact]
    public async Task Reserve_is_refused_when_short_and_writes_nothing()
    {
        var user = await app.CreateUserAsync(99);
        Assert.False(await Ledger.ReserveAsync(user.Id, "call-short", 100));
        await AssertBooksAsync(user.Id, balance: 99, holds: 0);
    }

    [Fact]
    public async Task Settle_charges_more_than_the_hold_but_never_below_zero()
    {
        var user = await app.CreateUserAsync(100);
        Assert.True(await Ledger.ReserveAsync(user.Id, "call-over", 60));

        var receipt = await Ledger.SettleAsync(user.Id, "call-over", 250);

        Assert.Equal(new Receipt(60, 100, 0), receipt);
        Assert.Equal(0, await app.BalanceAsync(user.Id));
        Assert.Equal(0, await app.LedgerSumAsync(user.Id));
    }

    [Fact]
    public async Task Settle_below_the_hold_returns_the_difference()
    {
        var user = await app.CreateUserAsync(100);
        Assert.True(await Ledger.ReserveAsync(user.Id, "call-under", 60));
        Assert.Equal(40, await app.BalanceAsync(user.Id));

        var receipt = await Ledger.SettleAsync(user.Id, "call-under", 15);

        Assert.Equal(new Receipt(60, 15, 85), receipt);
        Assert.Equal(85, await app.LedgerSumAsync(user.Id));
    }

    [Fact]
    public async Task A_reservation_that_fails_midway_leaves_nothing_behind()
    {
        var user = await app.CreateUserAsync(100);
        Assert.True(await Ledger.ReserveAsync(user.Id, "call-twice", 30));

        // The same call id again: the balance is taken before the hold row is refused as a duplicate.
        await Assert.ThrowsAnyAsync<Exception>(() => Ledger.ReserveAsync(user.Id, "call-twice", 20));

        await AssertBooksAsync(user.Id, balance: 70, holds: 1);
    }

    [Fact]
    public async Task Settling_a_call_again_finds_no_hold_and_charges_the_balance_alone()
    {
        var user = await app.CreateUserAsync(100);
        Assert.True(await Ledger.ReserveAsync(user.Id, "call-again", 60));
        Assert.Equal(new Receipt(60, 15, 85), await Ledger.SettleAsync(user.Id, "call-again", 15));

        // Nothing of the first settlement (its hold, its charge) carries over into the second.
        Assert.Equal(new Receipt(0, 10, 75), await Ledger.SettleAsync(user.Id, "call-again", 10));
        Assert.Equal(new Receipt(0, 75, 0), await Ledger.SettleAsync(user.Id, "call-again", 500));
        Assert.Equal(0, await app.BalanceAsync(user.Id));
        Assert.Equal(0, await app.LedgerSumAsync(user.Id));
    }

    [Fact]
    public async Task A_hold_is_released_exactly_once_even_if_refund_and_settle_race()
    {
        var user = await app.CreateUserAsync(100);
        Assert.True(await Ledger.ReserveAsync(user.Id, "call-race", 50));

        await Task.WhenAll(Ledger.RefundAsync(user.Id, "call-race"), Ledger.RefundAsync(user.Id, "call-race"), Ledger.RefundAsync(user.Id, "call-race"));

        Assert.Equal(100, await app.BalanceAsync(user.Id));
        Assert.Equal(100, await app.LedgerSumAsync(user.Id));
    }

    [Fact]
    public async Task The_sweeper_releases_expired_holds_and_only_those()
    {
        var user = await app.CreateUserAsync(100);
        Assert.True(await Ledger.ReserveAsync(user.Id, "call-dead", 30, holdFor: TimeSpan.FromMilliseconds(-1)));
        Assert.True(await Ledger.ReserveAsync(user.Id, "call-alive", 20));

        await Ledger.ReleaseExpiredAsync();

        Assert.Equal(80, await app.BalanceAsync(user.Id));
        Assert.Equal(1, await app.HoldCountAsync(user.Id));
        await using var c = await app.Services.GetRequiredService<Db>().OpenAsync();
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ledger WHERE call_id = 'call-dead' AND kind = 'hold_expired'"));

        // A settle arriving after the sweep charges the balance but cannot release the hold twice.
        var late = await Ledger.SettleAsync(user.Id, "call-dead", 10);
        Assert.Equal(0, late.Reserved);
        Assert.Equal(70, await app.BalanceAsync(user.Id));
        Assert.Equal(70, await app.LedgerSumAsync(user.Id));
    }

    [Fact]
    public async Task Concurrent_reserves_never_overspend()
    {
        var user = await app.CreateUserAsync(1_000);
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Ledger.ReserveAsync(user.Id, $"c{i}-{user.Id}", 70)));
        Assert.Equal(14, results.Count(r => r));
        Assert.Equal(20, await app.BalanceAsync(user.Id));
        Assert.Equal(20, await app.LedgerSumAsync(user.Id));
    }

    /// <summary>The balance, the holds left, and the ledger that adds up to the balance.</summary>
    private async Task AssertBooksAsync(string userId, long balance, long holds)
    {
        Assert.Equal(balance, await app.BalanceAsync(userId));
        Assert.Equal(holds, await app.HoldCountAsync(userId));
        Assert.Equal(balance, await app.LedgerSumAsync(userId));
    }
}

/// <summary>A host whose ledger the tests drive directly: its charges have no call rows, as no pipeline ran.</summary>
public sealed class LedgerApp : IhuiApp
{
    protected override bool ChecksCallRows => false;
}
