using Ihui.Features.Common.Configuration;
using Ihui.Features.Common.Errors;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Common.Security;

/// <summary>
/// <c>PASSWORD_HASH_CONCURRENCY</c> (default: the machine's cores) password hashes or checks at once;
/// <c>PASSWORD_HASH_WAIT_SECONDS</c> (10) how long one waits for its turn before the request is refused.
/// </summary>
public sealed record PasswordGateOptions(int Concurrency, TimeSpan Wait)
{
    public static PasswordGateOptions From(IConfiguration c) => new(
        Setting.Int(c, "PASSWORD_HASH_CONCURRENCY", Environment.ProcessorCount, 1, 1024),
        Setting.Seconds(c, "PASSWORD_HASH_WAIT_SECONDS", 10, 60, allowZero: true));
}

/// <summary>
/// Password work (PBKDF2, tens of milliseconds of CPU each) for requests, bounded in concurrency: a burst of logins
/// cannot take every core and thread from the rest of the gateway. Past the bound a request waits briefly for a turn,
/// then is a 503 with <c>Retry-After</c>.
/// </summary>
public sealed class PasswordGate(PasswordGateOptions options)
{
    private readonly SemaphoreSlim _turns = new(options.Concurrency, options.Concurrency);
    private long _evaluated;

    /// <summary>How many hashes this instance has computed or checked (tests read it).</summary>
    public long Evaluated => Interlocked.Read(ref _evaluated);

    public ValueTask<bool> VerifyAsync(string? hash, string password, CancellationToken ct) =>
        RunAsync(() => PasswordHashing.Verify(hash, password), ct);

    public ValueTask<string> HashAsync(string password, CancellationToken ct) => RunAsync(() => PasswordHashing.Hash(password), ct);

    /// <summary>Runs one piece of password work in a turn of its own.</summary>
    public async ValueTask<T> RunAsync<T>(Func<T> work, CancellationToken ct)
    {
        await EnterAsync(ct);
        try
        {
            Interlocked.Increment(ref _evaluated);
            return work();
        }
        finally
        {
            _turns.Release();
        }
    }

    private async ValueTask EnterAsync(CancellationToken ct)
    {
        if (!await _turns.WaitAsync(options.Wait, ct))
            throw new ApiException(503, "server_busy", "too many password checks at once; try again shortly") { RetryAfter = TimeSpan.FromSeconds(1) };
    }
}
