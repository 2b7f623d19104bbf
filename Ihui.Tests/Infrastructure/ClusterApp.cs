using Ihui.Tests.Fakes;

namespace Ihui.Tests.Infrastructure;

/// <summary>Runs only where a MySQL/MariaDB server (<c>IHUI_TEST_MYSQL</c>) and a Redis server (<c>IHUI_TEST_REDIS</c>) are given, as CI does.</summary>
public sealed class ClusterFactAttribute : FactAttribute
{
    public ClusterFactAttribute()
    {
        if (!TestDatabase.IsMySql || ClusterApp.RedisUrl is null)
            Skip = "needs IHUI_TEST_MYSQL and IHUI_TEST_REDIS (CI sets both)";
    }
}

/// <summary>
/// Two Ihui processes on one MariaDB database and one Redis (a key prefix of their own), with the Ark fake for
/// tasks. The in-process host owns the database (migrations, users); instance A polls tasks, instance B does not.
/// </summary>
public sealed class ClusterApp : IhuiApp, IAsyncLifetime
{
    public static string? RedisUrl => Environment.GetEnvironmentVariable("IHUI_TEST_REDIS") is { Length: > 0 } r ? r : null;

    public FakeArk Ark { get; } = new(TasksApp.ArkKey);
    public IhuiProcess A { get; private set; } = null!;
    public IhuiProcess B { get; private set; } = null!;
    public string KeyPrefix { get; } = $"ihui-test-{Guid.NewGuid():N}:";

    /// <summary>The API key limits both instances apply (the other tests call with user_uuid, not keys).</summary>
    public const int KeyRpm = 10, KeyConcurrency = 2;

    /// <summary>Settings both instances share; a test class may add its own.</summary>
    public Dictionary<string, string?> Shared { get; } = new();

    public override async Task InitializeAsync()
    {
        await Ark.StartAsync();
        await base.InitializeAsync();
        if (!TestDatabase.IsMySql || RedisUrl is null) return;
        var common = Database.Settings.ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        foreach (var (k, v) in TasksApp.EngineSettings(poller: true, waitSeconds: 0)) common[k] = v;
        // A loaded CI box starts processes slowly; the task must not expire while the test waits for it.
        common["TASK_DEADLINE_SECONDS"] = "120";
        common["LOGIN_MAX_FAILURES"] = "3";
        common["RATE_LIMIT_KEY_RPM"] = KeyRpm.ToString();
        common["RATE_LIMIT_KEY_CONCURRENCY"] = KeyConcurrency.ToString();
        common["REDIS_URL"] = RedisUrl;
        common["REDIS_KEY_PREFIX"] = KeyPrefix;
        common["DOUBAO_API_KEY"] = TasksApp.ArkKey;
        common["DOUBAO_BASE_URL"] = Ark.BaseUrl + "/api/v3";
        common["DASHSCOPE_API_KEY"] = DashScopeKey;
        common["DASHSCOPE_BASE_URL"] = DashScope.BaseUrl;
        foreach (var (k, v) in Shared) common[k] = v;
        var (a, b) = (await IhuiProcess.StartAsync(common), await IhuiProcess.StartAsync(new Dictionary<string, string?>(common) { ["TASK_POLLER_ENABLED"] = "false" }));
        (A, B) = (a, b);
    }

    public new async Task DisposeAsync()
    {
        if (A is not null) await A.DisposeAsync();
        if (B is not null) await B.DisposeAsync();
        await base.DisposeAsync();
        await Ark.DisposeAsync();
    }
}
