using System.Net;
using Dapper;
using Ihui.Tests.Fakes;
using Ihui.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using MySqlConnector;

namespace Ihui.Tests.Tasks;

/// <summary>
/// A task's terminal transition (its settlement) meets a database that refuses writes for a while — on SQLite another
/// process holding the write lock past the busy timeout, on MariaDB a deadlock error — and is retried until it lands:
/// the task ends, is charged once, and the books balance.
/// </summary>
public sealed class TaskEndRetryTests(TaskEndRetryApp app) : IClassFixture<TaskEndRetryApp>
{
    [Fact]
    public async Task A_transient_database_error_when_a_task_ends_is_retried_until_its_settlement_lands()
    {
        var user = await app.CreateUserAsync(10_000);
        app.Ark.Hold = true;
        var (response, json) = await TasksApp.PostAsync(app.CreateClient(), "/cozeZhsApi/proxy/video-generation",
            new { prompt = "一只猫", images = new[] { "https://example.com/first.png" }, user_uuid = user.Id });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var taskId = json.GetProperty("data").GetProperty("task_id").GetString()!;
        var vendorId = (await app.TaskAsync(taskId))!.VendorTaskId!;

        await using (var refusal = await app.RefuseTaskEndsAsync(taskId))
        {
            // Past the fake's queued and running polls, the next poll is answered "succeeded" a second after it arrives;
            // the database refuses from its arrival on.
            await TasksApp.Eventually(() => app.Ark.TaskFor(vendorId).Polls.Count > 1 + app.Ark.RunningPolls);
            app.Ark.Delay = TimeSpan.FromSeconds(1);
            app.Ark.Mode = FakeMode.Slow;
            int Arrived() => app.Ark.Received.Count(r => r.Method == "GET" && r.Path.EndsWith(vendorId, StringComparison.Ordinal));
            var polls = Arrived();
            app.Ark.Hold = false;
            await TasksApp.Eventually(() => Arrived() > polls); // recorded on arrival, answered a second later
            await refusal.BeginAsync();
            // Serilog quotes the text values it forwards: "Task end" of "task_…".
            await TasksApp.Eventually(() => app.Logs.Lines.Any(l => l.Contains("\"Task end\" of") && l.Contains(taskId) && l.Contains("met a transient database error")));
        }
        app.Ark.Mode = FakeMode.Normal;

        var task = await app.WaitForTaskAsync(taskId, t => t.Status != "running" && t.Status != "queued");
        Assert.Equal("succeeded", task.Status);
        Assert.True(task.Charged > 0);
        Assert.Equal([("charge", -task.Charged)], (await app.LedgerOfAsync(taskId)).Where(l => l.Kind == "charge"));
        Assert.Equal(10_000 - task.Charged, await app.BalanceAsync(user.Id));
        Assert.Equal(10_000 - task.Charged, await app.LedgerSumAsync(user.Id));
        Assert.Equal(0, await app.HoldCountAsync(user.Id));
    }
}

public sealed class TaskEndRetryApp : TasksApp
{
    protected override int WaitSeconds => 0;

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
        base.ExtraSettings().Append(new("SQLITE_BUSY_TIMEOUT_MS", "200"));

    /// <summary>From <see cref="Refusal.BeginAsync"/> until disposed, writes that end <paramref name="taskId"/> fail transiently.</summary>
    public async Task<Refusal> RefuseTaskEndsAsync(string taskId)
    {
        if (TestDatabase.MySqlServer is null)
        {
            var path = Database.Settings["SQLITE_PATH"];
            var c = new SqliteConnection($"Data Source={path};Pooling=False");
            await c.OpenAsync();
            return new Refusal(
                async () => await c.ExecuteAsync("BEGIN IMMEDIATE"), // holds the write lock: Ihui's writer meets SQLITE_BUSY
                async () =>
                {
                    await c.ExecuteAsync("COMMIT");
                    await c.DisposeAsync();
                });
        }
        var s = Database.Settings;
        var mysql = new MySqlConnection(new MySqlConnectionStringBuilder
        {
            Server = s["DB_HOST"], Port = uint.Parse(s["DB_PORT"]), UserID = s["DB_USER"], Password = s["DB_PASSWORD"], Database = s["DB_NAME"],
        }.ConnectionString);
        await mysql.OpenAsync();
        return new Refusal(
            async () => await mysql.ExecuteAsync(
                "CREATE TRIGGER refuse_task_end BEFORE UPDATE ON tasks FOR EACH ROW BEGIN " +
                $"IF NEW.id = '{taskId}' AND NEW.status <> OLD.status THEN " +
                "SIGNAL SQLSTATE '40001' SET MESSAGE_TEXT = 'Deadlock found when trying to get lock', MYSQL_ERRNO = 1213; END IF; END"),
            async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(1)); // a few retries meet the refusal
                await mysql.ExecuteAsync("DROP TRIGGER refuse_task_end");
                await mysql.DisposeAsync();
            });
    }

    public sealed class Refusal(Func<Task> begin, Func<Task> end) : IAsyncDisposable
    {
        public Task BeginAsync() => begin();
        public async ValueTask DisposeAsync() => await end();
    }
}
