using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Users;
using Ihui.Tests.Fakes;
using Mediator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Tests.Infrastructure;

/// <summary>
/// The real host (<c>Program</c>) on a fresh database, with every vendor pointed at in-process fakes.
/// Use as a class fixture; tests isolate themselves by creating their own users.
/// </summary>
public class IhuiApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string DashScopeKey = "sk-test-dashscope-0123456789";
    public const string GeminiKey = "AIza-test-gemini-0123456789";

    public FakeOpenAiVendor DashScope { get; } = new("/compatible-mode/v1/chat/completions", DashScopeKey);
    public FakeGemini Gemini { get; } = new(GeminiKey);
    public TestDatabase Database { get; private set; } = null!;
    public CapturedLogs Logs { get; } = new();

    /// <summary>The lowest level logged (and so captured in <see cref="Logs"/>).</summary>
    protected virtual string MinimumLogLevel => "Warning";

    /// <summary>Extra settings a derived fixture wants (e.g. prices, timeouts, a missing key).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> ExtraSettings() => [];

    /// <summary>A fresh database by default; a second host on the same database overrides this (and <see cref="OwnsDatabase"/>).</summary>
    protected virtual Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.CreateAsync();

    protected virtual bool OwnsDatabase => true;

    public virtual async Task InitializeAsync()
    {
        Database = await CreateDatabaseAsync();
        await DashScope.StartAsync();
        await Gemini.StartAsync();
        BuildHost();
        _built = true;
    }

    private bool _built;

    /// <summary>Off only for fixtures whose tests drive the ledger directly, where no pipeline writes call rows.</summary>
    protected virtual bool ChecksCallRows => true;

    /// <summary>Builds the host now (migrations run here, not in the first test): in memory by default; a real server in <see cref="KestrelVoiceApp"/>.</summary>
    protected virtual void BuildHost() => _ = Server;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        var settings = new Dictionary<string, string?>
        {
            ["DASHSCOPE_API_KEY"] = DashScopeKey,
            ["DASHSCOPE_BASE_URL"] = DashScope.BaseUrl,
            ["DASHSCOPE_TIMEOUT_SECONDS"] = "2",
            ["GEMINI_API_KEY"] = GeminiKey,
            ["GEMINI_BASE_URL"] = Gemini.BaseUrl + "/v1beta",
            ["GEMINI_TIMEOUT_SECONDS"] = "2",
            ["Serilog:MinimumLevel:Default"] = MinimumLogLevel,
            ["Prices:gemini-per-call-test:PerCall"] = "5",
        };
        foreach (var (k, v) in Database.Settings) settings[k] = v;
        foreach (var (k, v) in ExtraSettings()) settings[k] = v;
        foreach (var (k, v) in settings) builder.UseSetting(k, v);
        builder.ConfigureServices(services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs));
    }

    public new async Task DisposeAsync()
    {
        // Whatever the fixture's tests did, every billed call they made has its call row, charged what the ledger says.
        if (_built && ChecksCallRows && await ChargesWithoutTheirCallRowAsync() is { Count: > 0 } unmatched)
            Assert.Fail($"{unmatched.Count} charges without their call row:\n" + string.Join("\n", unmatched.Take(20)));
        await base.DisposeAsync();
        await DashScope.DisposeAsync();
        await Gemini.DisposeAsync();
        if (OwnsDatabase) await Database.DisposeAsync();
    }

    public async Task<UserRecord> CreateUserAsync(long balance, string? username = null) =>
        await Services.GetRequiredService<UserStore>().CreateAsync(username ?? "u" + Guid.NewGuid().ToString("N")[..12], balance);

    /// <summary>Flushes the billing journal and returns every lease not in use, so the books on disk are final.</summary>
    public Task SettleUpAsync() => Services.GetRequiredService<Ihui.Features.Common.Billing.Leases.LeaseBook>().SettleUpAsync();

    /// <summary>What the user can spend (the balance column plus what leases hold), after the journal's flush.</summary>
    public async Task<long> BalanceAsync(string userId)
    {
        await SettleUpAsync();
        await using var c = await Services.GetRequiredService<Db>().OpenAsync();
        return await c.ExecuteScalarAsync<long>($"SELECT {UserStore.SpendableBalanceSql} FROM users WHERE id = @userId", new { userId });
    }

    /// <summary>The balance column alone (what no lease holds).</summary>
    public async Task<long> BalanceColumnAsync(string userId)
    {
        await using var c = await Services.GetRequiredService<Db>().OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT balance FROM users WHERE id = @userId", new { userId });
    }

    public async Task<long> LedgerSumAsync(string userId)
    {
        await SettleUpAsync();
        await using var c = await Services.GetRequiredService<Db>().OpenAsync();
        return await c.ExecuteScalarAsync<long?>("SELECT SUM(delta) FROM ledger WHERE user_id = @userId", new { userId }) ?? 0;
    }

    /// <summary>
    /// The calls (of any user) whose charge in the ledger has no call row, or a row whose <c>charged</c> differs from the
    /// ledger; a task's charge names the task, whose own row is in <c>tasks</c>.
    /// </summary>
    public async Task<List<string>> ChargesWithoutTheirCallRowAsync(string? userId = null)
    {
        await SettleUpAsync();
        await Services.GetRequiredService<Ihui.Features.Common.CallLog.CallLogStore>().FlushAsync();
        await using var c = await Services.GetRequiredService<Db>().OpenAsync();
        var rows = await c.QueryAsync<(string CallId, long Ledger, long? Row)>(
            "SELECT l.call_id, -SUM(l.delta), MAX(c.charged) FROM ledger l LEFT JOIN calls c ON c.id = l.call_id " +
            "WHERE l.kind = 'charge' AND l.call_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = l.call_id) " +
            "AND (@userId IS NULL OR l.user_id = @userId) " +
            "GROUP BY l.call_id HAVING MAX(c.id) IS NULL OR MAX(c.charged) <> -SUM(l.delta)", new { userId });
        return rows.Select(r => $"{r.CallId}: the ledger charged {r.Ledger}, its call row {(r.Row is { } v ? $"says {v}" : "is missing")}").ToList();
    }

    public async Task<List<CallRowView>> CallsAsync(string userId)
    {
        await Services.GetRequiredService<Ihui.Features.Common.CallLog.CallLogStore>().FlushAsync();
        await using var c = await Services.GetRequiredService<Db>().OpenAsync();
        return (await c.QueryAsync<CallRowView>(
            "SELECT id AS Id, route AS Route, vendor AS Vendor, model AS Model, status AS Status, usage_in AS UsageIn, usage_out AS UsageOut, " +
            "reserved AS Reserved, charged AS Charged, error_code AS ErrorCode, error_message AS ErrorMessage, channels AS Channels FROM calls WHERE user_id = @userId",
            new { userId })).ToList();
    }

    public async Task<long> HoldCountAsync(string userId)
    {
        await SettleUpAsync();
        await using var c = await Services.GetRequiredService<Db>().OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM holds WHERE user_id = @userId", new { userId });
    }

    public async Task<TaskRowView?> TaskAsync(string taskId)
    {
        await using var c = await Services.GetRequiredService<Db>().OpenAsync();
        return await c.QuerySingleOrDefaultAsync<TaskRowView>(
            "SELECT id AS Id, user_id AS UserId, kind AS Kind, vendor_task_id AS VendorTaskId, status AS Status, reserved AS Reserved, " +
            "charged AS Charged, error AS Error, lease_owner AS LeaseOwner, lease_until AS LeaseUntil FROM tasks WHERE id = @taskId", new { taskId });
    }

    /// <summary>Ledger rows of one task (the task id is the hold's call id).</summary>
    public async Task<List<(string Kind, long Delta)>> LedgerOfAsync(string taskId)
    {
        await SettleUpAsync();
        await using var c = await Services.GetRequiredService<Db>().OpenAsync();
        return (await c.QueryAsync<(string, long)>("SELECT kind, delta FROM ledger WHERE call_id = @taskId ORDER BY created_at", new { taskId })).ToList();
    }

    public async Task<TaskRowView> WaitForTaskAsync(string taskId, Func<TaskRowView, bool> until, TimeSpan? timeout = null)
    {
        var end = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var row = await TaskAsync(taskId);
            if (row is not null && until(row)) return row;
            if (DateTime.UtcNow > end) throw new TimeoutException($"task {taskId} is still {row?.Status}");
            await Task.Delay(50);
        }
    }

    /// <summary>Runs a message through the pipeline the way an endpoint does: ISender in a fresh DI scope.</summary>
    public async Task<TResponse> SendAsync<TResponse>(IRequest<TResponse> request)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(request);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();
}

public sealed record CallRowView
{
    public string Id { get; init; } = "";
    public string Route { get; init; } = "";
    public string? Vendor { get; init; }
    public string? Model { get; init; }
    public string Status { get; init; } = "";
    public long UsageIn { get; init; }
    public long UsageOut { get; init; }
    public long Reserved { get; init; }
    public long Charged { get; init; }
    public int? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }
    public string? Channels { get; init; }
}
