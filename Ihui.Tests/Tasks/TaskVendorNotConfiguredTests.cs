using System.Net;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Tasks;

public sealed class NoArkKeyApp : TasksApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
        base.ExtraSettings().Where(s => s.Key != "DOUBAO_API_KEY").Append(new("DOUBAO_API_KEY", ""));
}

public sealed class TaskVendorNotConfiguredTests(NoArkKeyApp app) : IClassFixture<NoArkKeyApp>
{
    [Fact]
    public async Task A_task_for_an_unconfigured_vendor_is_503_naming_the_variable_and_nothing_stays_held()
    {
        var user = await app.CreateUserAsync(10_000);
        var (response, json) = await TasksApp.PostAsync(app.CreateClient(), "/cozeZhsApi/proxy/video-generation",
            new { prompt = "无钥匙", user_uuid = user.Id }, idempotencyKey: "no-key");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("DOUBAO_API_KEY", json.GetProperty("msg").GetString());
        Assert.Empty(app.Ark.Received);
        Assert.Equal(10_000, await app.BalanceAsync(user.Id));
        Assert.Equal(10_000, await app.LedgerSumAsync(user.Id));
        Assert.Equal(0, await app.HoldCountAsync(user.Id));
    }
}
