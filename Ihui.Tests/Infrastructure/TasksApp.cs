using System.Net.Http.Json;
using System.Text.Json;
using Ihui.Tests.Fakes;

namespace Ihui.Tests.Infrastructure;

/// <summary>
/// The host with the task engine on short timings and the Ark/DashScope task vendors pointed at fakes.
/// <see cref="StartHostAsync"/> starts further hosts on the same database and fakes (several instances, or a restart).
/// </summary>
public class TasksApp : IhuiApp, IAsyncLifetime
{
    public const string ArkKey = "ark-test-key-0123456789";
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    public const int DeadlineSeconds = 8;
    public const int LeaseSeconds = 2;

    public FakeArk Ark { get; } = new(ArkKey);
    public FakeDashScopeTasks DashScopeTasks { get; } = new(DashScopeKey);

    /// <summary>Whether this fixture's own host polls; a cluster fixture leaves polling to the hosts it starts.</summary>
    protected virtual bool PollerEnabled => true;
    protected virtual int WaitSeconds => 10;

    public override async Task InitializeAsync()
    {
        await Ark.StartAsync();
        await DashScopeTasks.StartAsync();
        await base.InitializeAsync();
    }

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() => TaskSettings(PollerEnabled, WaitSeconds);

    public IEnumerable<KeyValuePair<string, string?>> TaskSettings(bool poller, int waitSeconds) => new Dictionary<string, string?>
    {
        ["DOUBAO_API_KEY"] = ArkKey,
        ["DOUBAO_BASE_URL"] = Ark.BaseUrl + "/api/v3",
        ["DOUBAO_TIMEOUT_SECONDS"] = "3",
        ["DASHSCOPE_BASE_URL"] = DashScopeTasks.BaseUrl,
    }.Concat(EngineSettings(poller, waitSeconds));

    /// <summary>The task engine on short timings (any fixture whose slices run tasks).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> EngineSettings(bool poller, int waitSeconds) => new Dictionary<string, string?>
    {
        ["TASK_POLLER_ENABLED"] = poller ? "true" : "false",
        ["TASK_SCAN_INTERVAL_MS"] = "50",
        ["TASK_POLL_INTERVAL_SECONDS"] = PollInterval.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["TASK_POLL_MAX_INTERVAL_SECONDS"] = "0.3",
        ["TASK_LEASE_SECONDS"] = LeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["TASK_MAX_POLL_ERRORS"] = "3",
        ["TASK_DEADLINE_SECONDS"] = DeadlineSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["TASK_WAIT_SECONDS"] = waitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Another Ihui instance on this fixture's database and fakes, with its own poller.</summary>
    public async Task<TaskHost> StartHostAsync()
    {
        var host = new TaskHost(this);
        await host.InitializeAsync();
        return host;
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Ark.DisposeAsync();
        await DashScopeTasks.DisposeAsync();
    }

    public static async Task Eventually(Func<bool> condition, TimeSpan? timeout = null)
    {
        var end = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (DateTime.UtcNow > end) throw new TimeoutException("condition not reached in time");
            await Task.Delay(25);
        }
    }

    public static async Task<(HttpResponseMessage Response, JsonElement Json)> PostAsync(HttpClient http, string route, object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        var response = await http.SendAsync(request);
        return (response, await JsonAsync(response));
    }
}

/// <summary>A fixture whose own host does not poll: tests start and stop polling hosts themselves.</summary>
public sealed class TasksClusterApp : TasksApp
{
    protected override bool PollerEnabled => false;
    protected override int WaitSeconds => 0;
}

/// <summary>A further instance on a <see cref="TasksApp"/>'s database and fakes.</summary>
public sealed class TaskHost(TasksApp parent) : IhuiApp
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(parent.Database);
    protected override bool OwnsDatabase => false;
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() => parent.TaskSettings(poller: true, waitSeconds: 0);
}

public sealed record TaskRowView
{
    public string Id { get; init; } = "";
    public string UserId { get; init; } = "";
    public string Kind { get; init; } = "";
    public string? VendorTaskId { get; init; }
    public string Status { get; init; } = "";
    public long Reserved { get; init; }
    public long Charged { get; init; }
    public string? Error { get; init; }
    public string? LeaseOwner { get; init; }
    public DateTime? LeaseUntil { get; init; }
}
