using Ihui.Features.Common.Hosting;
using Ihui.Features.Common.Users;

namespace Ihui.Api;

/// <summary>
/// One-shot commands for operators on a fresh install:
/// <c>dotnet run --project Ihui.Api -- create-user &lt;username&gt; [balance]</c> prints the new user's uuid.
/// </summary>
public static class AdminCli
{
    public static bool Handles(string command) => command is "create-user";

    public static async Task<int> RunAsync(IServiceProvider services, IConfiguration configuration, string[] args)
    {
        await services.InitializeDatabaseAsync(configuration);
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
}
