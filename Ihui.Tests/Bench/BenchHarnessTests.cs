using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Ihui.Tests.Bench;

/// <summary>
/// The bench harness (bench/Ihui.Bench) starts Ihui, create-user and a bare proxy of its own as processes: however the
/// harness ends (killed outright, SIGTERM, Ctrl-C), none of them outlives it.
/// </summary>
public sealed partial class BenchHarnessTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    [GeneratedRegex(@"\(pid (\d+)\), bare proxy child pid (\d+)")]
    private static partial Regex Pids();

    [Theory]
    [InlineData(9)]  // SIGKILL: the harness runs no code at all
    [InlineData(15)] // SIGTERM (Ctrl-C's SIGINT takes the same path, but a runner that starts tests in the background
                     // hands them SIGINT ignored, so it is not sent here)
    public async Task No_process_the_harness_started_outlives_it(int signal)
    {
        var bin = AppContext.BaseDirectory;
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(bin, "Ihui.Bench.dll"), "--no-build", "--ihui-dll", Path.Combine(bin, "Ihui.Api.dll"),
                     "--serve", "600", "--phases", "none", "--db-dir", Path.GetTempPath() })
            psi.ArgumentList.Add(a);
        using var harness = Process.Start(psi)!;
        var descendants = new List<int>();
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            Match? serving = null;
            while (serving is not { Success: true })
            {
                var line = await harness.StandardOutput.ReadLineAsync(deadline.Token)
                    ?? throw new InvalidOperationException("the harness ended before serving: " + await harness.StandardError.ReadToEndAsync());
                serving = Pids().Match(line);
            }
            _ = harness.StandardOutput.ReadToEndAsync(); // keep draining
            var (ihui, bareProxy) = (int.Parse(serving.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(serving.Groups[2].Value, CultureInfo.InvariantCulture));
            descendants.AddRange(Descendants(harness.Id));
            Assert.Contains(ihui, descendants);
            Assert.Contains(bareProxy, descendants);

            Assert.Equal(0, kill(harness.Id, signal));
            await harness.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

            var until = DateTime.UtcNow.AddSeconds(20);
            while (descendants.Any(Alive) && DateTime.UtcNow < until) await Task.Delay(100);
            Assert.Empty(descendants.Where(Alive).Select(pid => $"{pid}: {Command(pid)}"));
        }
        finally
        {
            foreach (var pid in descendants.Prepend(harness.Id).Where(Alive)) kill(pid, 9);
        }
    }

    /// <summary>Every process below <paramref name="root"/>, from /proc.</summary>
    private static List<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Stat(pid) is { } stat)
                parents[pid] = stat.Parent;
        var found = new List<int>();
        var frontier = new Queue<int>([root]);
        while (frontier.TryDequeue(out var p))
            foreach (var child in parents.Where(kv => kv.Value == p).Select(kv => kv.Key))
            {
                found.Add(child);
                frontier.Enqueue(child);
            }
        return found;
    }

    /// <summary>Alive = exists and is not a zombie (an orphan whose reaper is slow is dead all the same).</summary>
    private static bool Alive(int pid) => Stat(pid) is { State: not 'Z' and not 'X' };

    private static (char State, int Parent)? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return (rest[0][0], int.Parse(rest[1], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Command(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '); }
        catch (IOException) { return "?"; }
    }
}
