using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Common.Hosting;

/// <summary>
/// Where socket completions run. By default the runtime hands every completed socket read or write from its epoll
/// thread to the thread pool: a thread hop (and often a wake-up) for each request read, each vendor answer and each
/// response. With inline completions the continuation runs on the epoll thread itself (one per core). Measured with
/// <c>bench/</c> on a 2-core box, SQLite, 1,000 req/s: added p99 9.8–12.5 ms against 18.5–60 ms without, throughput
/// the same. The trade: code that blocks after a socket completes holds that epoll thread's other sockets meanwhile,
/// and SQLite writes are synchronous (≈ 0.1 ms; more while a checkpoint syncs). <c>SOCKETS_INLINE_COMPLETIONS=false</c>
/// turns it off; an explicit <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS</c> wins over both.
/// </summary>
public static class SocketTuning
{
    public const string RuntimeVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Must run before the process opens its first socket: the runtime reads the variable once, when its socket engine
    /// starts. Returns whether completions run inline.
    /// </summary>
    public static bool Apply(IConfiguration configuration)
    {
        var runtime = Environment.GetEnvironmentVariable(RuntimeVariable);
        var inline = Inline(runtime, configuration["SOCKETS_INLINE_COMPLETIONS"]);
        if (inline && string.IsNullOrEmpty(runtime)) Environment.SetEnvironmentVariable(RuntimeVariable, "1");
        return inline;
    }

    /// <summary>The decision: the runtime's own variable when set, else Ihui's setting (default on).</summary>
    public static bool Inline(string? runtimeVariable, string? setting) =>
        runtimeVariable is { Length: > 0 }
            ? runtimeVariable == "1"
            : setting switch
            {
                null or "" => true,
                _ when bool.TryParse(setting, out var on) => on,
                _ => throw new InvalidOperationException("SOCKETS_INLINE_COMPLETIONS must be true or false"),
            };
}
