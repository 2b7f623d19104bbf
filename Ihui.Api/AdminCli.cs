using System.Data.Common;
using System.Net.Sockets;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Hosting;
using Ihui.Features.Common.Security;
using Ihui.Features.Common.Users;
using Ihui.Features.Common.Validation;

namespace Ihui.Api;

/// <summary>
/// One-shot commands for operators on a fresh install:
/// <c>dotnet run --project Ihui.Api -- create-user &lt;username&gt; [balance]</c> prints the new user's uuid;
/// <c>create-admin &lt;name&gt;</c> creates an admin with the password read from <c>ADMIN_PASSWORD</c> or, if unset,
/// from the first line of standard input (never from the command line, where other users could see it).
/// Every failure is one line on standard error, prefixed with the command, and exit code 1; never a stack trace.
/// </summary>
public static class AdminCli
{
    public const long MaxBalance = 1_000_000_000_000;

    public static bool Handles(string command) => command is "create-user" or "create-admin";

    /// <summary>A problem with what the operator typed: the message is the whole line.</summary>
    private sealed class UsageException(string message) : Exception(message);

    public static async Task<int> RunAsync(IServiceProvider services, IConfiguration configuration, string[] args)
    {
        var command = args[0];
        try
        {
            return command == "create-admin"
                ? await CreateAdminAsync(services, configuration, args)
                : await CreateUserAsync(services, configuration, args);
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"{command}: {Describe(e)}");
            return 1;
        }
    }

    private static string Describe(Exception e)
    {
        var text = e switch
        {
            UsageException or ApiException => e.Message,
            _ when Unreachable(e) => "cannot reach the database: " + Innermost(e).Message,
            DbException => "database error: " + e.Message,
            _ => $"failed: {e.GetType().Name}: {e.Message}",
        };
        // One line, and never a secret (a connection string's password can sit in a driver's message).
        return SecretScrubber.Scrub(text.ReplaceLineEndings(" ").Trim());
    }

    private static bool Unreachable(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is SocketException or TimeoutException
                || x is MySqlConnector.MySqlException { ErrorCode: MySqlConnector.MySqlErrorCode.UnableToConnectToHost or MySqlConnector.MySqlErrorCode.AccessDenied or MySqlConnector.MySqlErrorCode.UnknownDatabase }
                || x is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 14 }) // SQLITE_CANTOPEN
                return true;
        return false;
    }

    private static Exception Innermost(Exception e)
    {
        var x = e;
        while (x.InnerException is not null && x is not DbException) x = x.InnerException;
        return x;
    }

    private static async Task<int> CreateUserAsync(IServiceProvider services, IConfiguration configuration, string[] args)
    {
        if (args.Length is < 2 or > 3) throw new UsageException("usage: create-user <username> [balance]");
        if (AccountRules.NameProblem(args[1]) is { } problem) throw new UsageException($"username {problem}");
        var balance = 0L;
        if (args.Length == 3 && !(long.TryParse(args[2], System.Globalization.NumberStyles.None, null, out balance) && balance <= MaxBalance))
            throw new UsageException($"balance must be a whole number from 0 to {MaxBalance}");

        await services.InitializeDatabaseAsync(configuration);
        var user = await services.GetRequiredService<UserStore>().CreateAsync(args[1], balance);
        Console.WriteLine($"user_uuid={user.Id} username={user.Username} balance={user.Balance}");
        return 0;
    }

    private static async Task<int> CreateAdminAsync(IServiceProvider services, IConfiguration configuration, string[] args)
    {
        if (args.Length != 2)
            throw new UsageException("usage: create-admin <name>   (password from ADMIN_PASSWORD or the first line of stdin)");
        var password = configuration["ADMIN_PASSWORD"] is { Length: > 0 } p ? p : Console.In.ReadLine() ?? "";
        if (AccountRules.NameProblem(args[1]) is { } n) throw new UsageException($"name {n}");
        if (AccountRules.PasswordProblem(password) is { } w) throw new UsageException($"password {w}");

        await services.InitializeDatabaseAsync(configuration);
        var admin = await services.GetRequiredService<AdminStore>().CreateAsync(args[1], password);
        Console.WriteLine($"admin_id={admin.Id} admin={admin.Name}");
        return 0;
    }
}
