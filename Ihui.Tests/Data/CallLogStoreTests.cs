using Dapper;
using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Data;
using Ihui.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Tests.Data;

public sealed class CallLogStoreTests(IhuiApp app) : IClassFixture<IhuiApp>
{
    private static CallRow Row(string id, string route) => new()
    {
        Id = id, Route = route, Status = "succeeded", StartedAt = DateTime.UtcNow, FinishedAt = DateTime.UtcNow,
    };

    [Fact]
    public async Task Rows_queued_together_are_all_written_and_one_bad_row_loses_none_of_the_others()
    {
        var store = app.Services.GetRequiredService<CallLogStore>();
        var route = "/test/" + Guid.NewGuid().ToString("N")[..8];
        var taken = Guid.NewGuid().ToString("N");
        await store.WriteAsync(Row(taken, route));

        // The duplicate id fails its batch's transaction; the loop then writes the rows one by one.
        store.Enqueue(Row(taken, route));
        var ids = Enumerable.Range(0, 200).Select(_ => Guid.NewGuid().ToString("N")).ToList();
        foreach (var id in ids) store.Enqueue(Row(id, route));
        await store.FlushAsync();

        await using var c = await app.Services.GetRequiredService<Db>().OpenAsync();
        var written = (await c.QueryAsync<string>("SELECT id FROM calls WHERE route = @route", new { route })).ToList();
        Assert.Equal(ids.Append(taken).Order(), written.Order());
        Assert.Contains(app.Logs.Lines, l => l.Contains(taken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_clean_batch_is_written_whole_without_falling_back_to_rows()
    {
        var store = app.Services.GetRequiredService<CallLogStore>();
        var route = "/test/" + Guid.NewGuid().ToString("N")[..8];
        int Fallbacks() => app.Logs.Lines.Count(l => l.Contains("writing them one by one", StringComparison.Ordinal));
        var before = Fallbacks();

        var ids = Enumerable.Range(0, 300).Select(_ => Guid.NewGuid().ToString("N")).ToList();
        foreach (var id in ids) store.Enqueue(Row(id, route) with { ErrorMessage = "it's \"quoted\" — 引号", Charged = 7 });
        await store.FlushAsync();

        await using var c = await app.Services.GetRequiredService<Db>().OpenAsync();
        var written = (await c.QueryAsync<(string Id, string ErrorMessage, long Charged)>(
            "SELECT id AS Id, error_message AS ErrorMessage, charged AS Charged FROM calls WHERE route = @route", new { route })).ToList();
        Assert.Equal(ids.Order(), written.Select(w => w.Id).Order());
        Assert.All(written, w => Assert.Equal(("it's \"quoted\" — 引号", 7L), (w.ErrorMessage, w.Charged)));
        Assert.Equal(before, Fallbacks());
    }
}
