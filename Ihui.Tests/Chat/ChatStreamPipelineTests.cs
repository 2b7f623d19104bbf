using Ihui.Features.Chat.DoubaoStream;
using Ihui.Features.Common.Chat;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Tests.Chat;

/// <summary>The stream behaviours (call log, auth, validation, billing) driven through ISender.CreateStream directly.</summary>
public sealed class ChatStreamPipelineTests(ChatStreamApp app) : IClassFixture<ChatStreamApp>, IDisposable
{
    public void Dispose()
    {
        app.Ark.Reset();
        app.Ark.Delay = TimeSpan.FromMilliseconds(50);
    }

    private static DoubaoStreamRequest Turn(string? user, string? prompt = "你好") =>
        new(new ChatTurn(prompt, null, user, DoubaoStreamRequest.UpstreamModel.Default, [], 1024));

    [Fact]
    public async Task Admission_failures_are_thrown_at_the_first_MoveNext_before_any_chunk()
    {
        var poor = await app.CreateUserAsync(5);
        var before = app.Ark.Requests.Count;
        await using var scope = app.Services.CreateAsyncScope();
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();

        await using var e = sender.CreateStream(Turn(poor.Id), CancellationToken.None).GetAsyncEnumerator();
        var error = await Assert.ThrowsAsync<Ihui.Features.Common.Errors.ApiException>(async () => await e.MoveNextAsync());

        Assert.Equal(402, error.Status);
        Assert.Equal(before, app.Ark.Requests.Count);
        Assert.Equal(5, await app.BalanceAsync(poor.Id));
    }

    [Fact]
    public async Task A_consumer_that_stops_early_ends_the_call_cancelled_and_pays_for_the_delivered_chunks()
    {
        var user = await app.CreateUserAsync(50_000);
        app.Ark.Mode = FakeMode.Slow;
        app.Ark.Delay = TimeSpan.FromMilliseconds(200);
        app.Ark.Reply = "一二三四五六七八九十一二三四五六七八九十";
        var aborts = app.Ark.Aborts;

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await foreach (var chunk in scope.ServiceProvider.GetRequiredService<ISender>().CreateStream(Turn(user.Id), CancellationToken.None))
            {
                Assert.Equal("一二三", chunk.Content);
                break;
            }
        }

        var call = Assert.Single(await app.CallsAsync(user.Id));
        Assert.Equal(("cancelled", 499), (call.Status, call.ErrorCode!.Value));
        Assert.Equal((2L, Ihui.Features.Common.Billing.TokenCounter.Count("一二三")), (call.UsageIn, call.UsageOut));
        Assert.True(call.Charged > 0);
        Assert.Equal(50_000 - call.Charged, await app.BalanceAsync(user.Id));
        Assert.Equal(50_000 - call.Charged, await app.LedgerSumAsync(user.Id));
        for (var i = 0; i < 100 && app.Ark.Aborts == aborts; i++) await Task.Delay(50);
        Assert.True(app.Ark.Aborts > aborts);
    }

    [Fact]
    public async Task Concurrent_turns_never_overspend_the_balance()
    {
        // Each turn holds (2 prompt + 1024 output) × 2 = 2052 tokens; the balance covers two holds, not three.
        var user = await app.CreateUserAsync(4_200);
        app.Ark.Mode = FakeMode.Slow;
        app.Ark.Delay = TimeSpan.FromMilliseconds(300);
        var sockets = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => app.ConnectAsync("/cozeZhsApi/ws/doubao/streamDou", user.Id)));
        try
        {
            foreach (var ws in sockets) await ws.ExpectAsync("connected");
            await Task.WhenAll(sockets.Select(ws => ws.SendChatAsync("你好")));
            var endings = await Task.WhenAll(sockets.Select(async ws => (await ws.ReadTurnAsync())[^1]));

            var kinds = endings.Select(f => f.GetProperty("type").GetString() == "done" ? "done" : f.GetProperty("code").GetInt32().ToString()).ToList();
            Assert.Equal(2, kinds.Count(k => k == "done"));
            Assert.Equal(2, kinds.Count(k => k == "402"));
            Assert.Equal(4_200 - 2 * 84, await app.BalanceAsync(user.Id));
            Assert.Equal(4_200 - 2 * 84, await app.LedgerSumAsync(user.Id));
            Assert.Equal(0, await app.HoldCountAsync(user.Id));
        }
        finally
        {
            foreach (var ws in sockets) await ws.DisposeAsync();
        }
    }
}
