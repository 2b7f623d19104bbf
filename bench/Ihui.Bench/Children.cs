using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Ihui.Bench;

/// <summary>
/// Every process the harness starts, and the guarantee that none outlives it. The harness kills them all on a normal
/// exit, an unhandled exception, SIGINT, SIGTERM, SIGHUP or SIGQUIT; for a harness that dies without running any code
/// (SIGKILL, a crash) each child watches its parent itself (<see cref="ParentWatch"/>): it holds the read end of a
/// pipe whose only writer is the harness, so the kernel closes it when the harness is gone, and the child ends.
/// Processes that are not the bench (Ihui, create-user) run under a <c>--guard</c> child that does this for them.
/// </summary>
public static class Children
{
    private static readonly List<Process> Started = [];
    private static readonly List<PosixSignalRegistration> Signals = [];

    static Children()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => KillAll();
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT })
            // Kill the children, then let the signal's default action end the harness.
            Signals.Add(PosixSignalRegistration.Create(signal, _ => KillAll()));
    }

    /// <summary>Starts <paramref name="file"/> under a guard that ends it when the harness goes; the Process is the guard's.</summary>
    public static Process StartGuarded(string file, IEnumerable<string> arguments, string cwd, IDictionary<string, string>? env, bool redirect)
    {
        var psi = SelfInfo(["--guard", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), file, .. arguments]);
        psi.WorkingDirectory = cwd;
        psi.RedirectStandardOutput = redirect;
        psi.RedirectStandardError = redirect;
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        return Start(psi);
    }

    /// <summary>Starts the bench itself in a child mode (it watches its parent on its own).</summary>
    public static Process StartSelf(IEnumerable<string> arguments, bool redirectOutput)
    {
        var psi = SelfInfo(arguments);
        psi.RedirectStandardOutput = redirectOutput;
        return Start(psi);
    }

    private static ProcessStartInfo SelfInfo(IEnumerable<string> arguments)
    {
        var self = Environment.ProcessPath!;
        var psi = new ProcessStartInfo(self) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(typeof(Children).Assembly.Location);
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        return psi;
    }

    private static Process Start(ProcessStartInfo psi)
    {
        // The child's stdin is a pipe only the harness writes to: its end of file is the harness's death.
        psi.RedirectStandardInput = true;
        var p = Process.Start(psi)!;
        lock (Started) Started.Add(p);
        return p;
    }

    public static void KillAll()
    {
        Process[] all;
        lock (Started) all = [.. Started];
        foreach (var p in all)
        {
            try
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
        }
    }

    /// <summary>The process a guard runs (its only child), for CPU and memory figures; read from /proc.</summary>
    public static Process Guarded(Process guard)
    {
        for (var i = 0; i < 200; i++)
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{guard.Id}/task"))
                if (File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var pid, ..])
                    return Process.GetProcessById(int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture));
            Thread.Sleep(25);
        }
        throw new InvalidOperationException($"the guard {guard.Id} started no process");
    }
}

/// <summary>A child's side: resolves when the parent is gone (stdin closed, or the parent's pid no longer alive).</summary>
public static class ParentWatch
{
    public static Task GoneAsync(int parentPid)
    {
        var stdinClosed = Task.Run(() =>
        {
            using var stdin = Console.OpenStandardInput();
            var buffer = new byte[256];
            while (stdin.Read(buffer) > 0) { }
        });
        var pidGone = Task.Run(async () =>
        {
            while (Alive(parentPid)) await Task.Delay(500);
        });
        return Task.WhenAny(stdinClosed, pidGone);
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// <c>--guard &lt;parent pid&gt; &lt;file&gt; &lt;args…&gt;</c>: runs the command with this process's stdout, stderr,
    /// directory and environment, and kills it (with its descendants) as soon as the parent is gone.
    /// </summary>
    public static async Task<int> GuardAsync(int parentPid, string file, string[] arguments)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        using var child = Process.Start(psi)!;
        using var signal = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => Kill(child));
        var exited = child.WaitForExitAsync();
        if (await Task.WhenAny(exited, GoneAsync(parentPid)) != exited) Kill(child);
        await child.WaitForExitAsync();
        return child.ExitCode;
    }

    private static void Kill(Process p)
    {
        try
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }
}

/// <summary>
/// The in-process servers' host lifetime: none. The default one takes SIGINT/SIGTERM for itself (it stops the server
/// and cancels the signal), which would leave the harness running without its servers; here the signal's default
/// action ends the process, after <see cref="Children"/> has killed the children.
/// </summary>
public sealed class SignalsEndTheHarness : Microsoft.Extensions.Hosting.IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
