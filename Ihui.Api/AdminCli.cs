using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Hosting;
using Ihui.Features.Common.Users;
using Ihui.Features.Common.Validation;

namespace Ihui.Api;

/// <summary>
/// One-shot commands for operators on a fresh install:
/// <c>dotnet run --project Ihui.Api -- create-user &lt;username&gt; [balance]</c> prints the new user's uuid;
/// <c>create-admin &lt;name&gt;</c> creates an admin with the password read from <c>ADMIN_PASSWORD</c> or, if unset,
/// from the first line of standard input (never from the command line, where other users could see it).
/// </summary>
public static class AdminCli
{
    public static bool Handles(string command) => command is "create-user" or "create-admin";

    public static async Task<int> RunAsync(IServiceProvider services, IConfiguration configuration, string[] args)
    {
        await services.InitializeDatabaseAsync(configuration);
        if (args[0] == "create-admin") return await CreateAdminAsync(services, configuration, args);
        if (args.Length < 2)
        {
            await Console.Error.WriteLineAsync("usage: create-user <username> [balance]");
            return 2;
        }
        var balance = args.Length > 2 && long.TryParse(args[2], out var b) && b >= 0 ? b : 0;
        var user = await services.GetRequiredService<UserStore>().CreateAsync(args[1], balance);
        Console.WriteLine($"user_uuid={user.Id} username={user.Username} balance={user.Balance}");
        return 0;
    }

    private static async Task<int> CreateAdminAsync(IServiceProvider services, IConfiguration configuration, string[] args)
    {
        if (args.Length < 2)
        {
            await Console.Error.WriteLineAsync("usage: create-admin <name>   (password from ADMIN_PASSWORD or the first line of stdin)");
            return 2;
        }
        var password = configuration["ADMIN_PASSWORD"] is { Length: > 0 } p ? p : Console.In.ReadLine() ?? "";
        var problem = AccountRules.NameProblem(args[1]) is { } n ? $"name {n}"
            : AccountRules.PasswordProblem(password) is { } w ? $"password {w}"
            : null;
        if (problem is not null)
        {
            await Console.Error.WriteLineAsync($"create-admin: {problem}");
            return 2;
        }
        try
        {
            var admin = await services.GetRequiredService<AdminStore>().CreateAsync(args[1], password);
            Console.WriteLine($"admin_id={admin.Id} admin={admin.Name}");
            return 0;
        }
        catch (ApiException e)
        {
            await Console.Error.WriteLineAsync($"create-admin: {e.Message}");
            return 1;
        }
    }
}
