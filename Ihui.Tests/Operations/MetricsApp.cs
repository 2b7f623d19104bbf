using System.Net.Http.Headers;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Operations;

/// <summary>
/// The host with <c>/metrics</c> on behind a token, a priced <c>/v1</c> model on the DashScope chat fake, and the task
/// engine (Seedance video on the Ark fake) on short timings.
/// </summary>
public sealed class MetricsApp : IhuiApp
{
    public const string Token = "metrics-token-0123456789";

    public FakeArk Ark { get; } = new(TasksApp.ArkKey);

    public override async Task InitializeAsync()
    {
        await Ark.StartAsync();
        await base.InitializeAsync();
    }

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() => TasksApp.EngineSettings(poller: true, waitSeconds: 0)
        .Concat(new Dictionary<string, string?>
        {
            ["METRICS_ENABLED"] = "true",
            ["METRICS_TOKEN"] = Token,
            ["DOUBAO_API_KEY"] = TasksApp.ArkKey,
            ["DOUBAO_BASE_URL"] = Ark.BaseUrl + "/api/v3",
            ["Models:metrics-qwen:Vendor"] = "dashscope",
            ["Models:metrics-qwen:UpstreamModel"] = "qwen-plus",
            ["Prices:metrics-qwen:Per1KIn"] = "1000",
            ["Prices:metrics-qwen:Per1KOut"] = "1000",
        });

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Ark.DisposeAsync();
    }

    public async Task<Prometheus> ScrapeAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var response = await CreateClient().SendAsync(request);
        response.EnsureSuccessStatusCode();
        return new Prometheus(await response.Content.ReadAsStringAsync());
    }
}
