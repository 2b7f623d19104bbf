using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Host;

/// <summary>
/// The operator commands run as the built host (<c>dotnet Ihui.Api.dll create-user …</c>) on the test store (SQLite, or
/// MariaDB with IHUI_TEST_MYSQL): every failure is exit code 1 and one line on standard error naming the problem.
/// </summary>
public sealed class CliTests
{
    private static void AssertOneLineError(ApiProcess.Result result, params string[] mentions)
    {
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrLines);
        foreach (var m in mentions) Assert.Contains(m, line);
        Assert.DoesNotContain("Unhandled exception", result.StdErr + result.StdOut);
        Assert.DoesNotContain("   at ", result.StdErr + result.StdOut);
    }

    [Fact]
    public async Task Create_user_with_a_taken_username_is_one_line_naming_the_conflict()
    {
        await using var db = await TestDatabase.CreateAsync();
        var first = await ApiProcess.RunAsync(db.Settings, ["create-user", "alice", "50"]);
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("username=alice balance=50", first.StdOut);

        var again = await ApiProcess.RunAsync(db.Settings, ["create-user", "alice", "10"]);
        AssertOneLineError(again, "create-user:", "'alice'", "already taken");
        Assert.DoesNotContain("user_uuid=", again.StdOut);
    }

    [Theory]
    [InlineData(new[] { "create-user" }, "usage: create-user <username> [balance]")]
    [InlineData(new[] { "create-user", "bob", "1", "extra" }, "usage: create-user")]
    [InlineData(new[] { "create-user", "bad name" }, "username must be 2-32")]
    [InlineData(new[] { "create-user", "bob", "abc" }, "balance must be a whole number")]
    [InlineData(new[] { "create-user", "bob", "-5" }, "balance must be a whole number")]
    [InlineData(new[] { "create-user", "bob", "99999999999999999999" }, "balance must be a whole number")]
    [InlineData(new[] { "create-admin" }, "usage: create-admin")]
    [InlineData(new[] { "create-admin", "a b" }, "name must be")]
    public async Task Bad_arguments_are_one_line_and_exit_code_1(string[] args, string message)
    {
        var result = await ApiProcess.RunAsync(new Dictionary<string, string> { ["ADMIN_PASSWORD"] = "Good-pass-123" }, args);
        AssertOneLineError(result, args[0] + ":", message);
    }

    [Fact]
    public async Task A_weak_admin_password_and_a_taken_admin_name_are_one_line()
    {
        await using var db = await TestDatabase.CreateAsync();
        AssertOneLineError(await ApiProcess.RunAsync(db.Settings, ["create-admin", "ops"], stdin: "short\n"), "create-admin:", "password must be");
        var env = new Dictionary<string, string>(db.Settings) { ["ADMIN_PASSWORD"] = "Good-pass-123" };
        Assert.Equal(0, (await ApiProcess.RunAsync(env, ["create-admin", "ops"])).ExitCode);
        AssertOneLineError(await ApiProcess.RunAsync(env, ["create-admin", "ops"]), "create-admin:", "'ops' already exists");
    }

    [Fact]
    public async Task An_unreachable_database_is_one_line_without_its_password()
    {
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        var mysql = await ApiProcess.RunAsync(new Dictionary<string, string> { ["DATABASE_URL"] = "mysql://ihui:hunter2-secret@127.0.0.1:1/ihui" },
            ["create-user", "carol"]);
        AssertOneLineError(mysql, "create-user:", "cannot reach the database");
        Assert.DoesNotContain("hunter2-secret", mysql.StdErr + mysql.StdOut);

        var sqlite = await ApiProcess.RunAsync(new Dictionary<string, string> { ["SQLITE_PATH"] = "/nonexistent-dir/sub/ihui.db" },
            ["create-user", "carol"]);
        AssertOneLineError(sqlite, "create-user:", "cannot reach the database");
    }
}
