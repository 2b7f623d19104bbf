using System.Diagnostics;

namespace Ihui.Tests.Infrastructure;

/// <summary>
/// Runs the built host (<c>Ihui.Api.dll</c>, copied next to the tests) as its own process, the way an operator
/// starts it, in an empty working directory with an embedded SQLite file, and returns what it printed.
/// </summary>
public static class ApiProcess
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public string[] ErrLines => StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>A running host: its output so far, the address it listens on, and a stop that ends it.</summary>
    public sealed class Running : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly DirectoryInfo _dir;
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _out = new();
        private readonly TaskCompletionSource<string> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

        internal Running(Process process, DirectoryInfo dir)
        {
            _process = process;
            _dir = dir;
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                _out.Enqueue(e.Data);
                if (e.Data.Contains("Now listening on:", StringComparison.Ordinal))
                    _address.TrySetResult(e.Data[(e.Data.IndexOf("http", StringComparison.Ordinal))..].Split(' ')[0].TrimEnd('"', ',', '}'));
            };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _out.Enqueue(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public IReadOnlyList<string> Output => _out.ToArray();

        public Task<string> AddressAsync() => _address.Task.WaitAsync(TimeSpan.FromSeconds(60));

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
            try { _dir.Delete(true); } catch (IOException) { }
        }
    }

    /// <summary>Starts the host and leaves it running (dispose to end it).</summary>
    public static Running Start(IReadOnlyDictionary<string, string> environment)
    {
        var dir = Directory.CreateTempSubdirectory("ihui-proc-");
        var start = Info(dir, environment, []);
        return new Running(Process.Start(start)!, dir);
    }

    private static ProcessStartInfo Info(DirectoryInfo dir, IReadOnlyDictionary<string, string> environment, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dir.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Ihui.Api.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["SQLITE_PATH"] = Path.Combine(dir.FullName, "ihui.db");
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment.Remove("IHUI_TEST_MYSQL");
        foreach (var (k, v) in environment) start.Environment[k] = v;
        return start;
    }

    public static async Task<Result> RunAsync(IReadOnlyDictionary<string, string> environment, string[] args, string? stdin = null,
        TimeSpan? timeout = null)
    {
        var dir = Directory.CreateTempSubdirectory("ihui-proc-");
        try
        {
            var start = Info(dir, environment, args);
            using var process = Process.Start(start)!;
            if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"Ihui.Api {string.Join(' ', args)} did not exit; stderr: {await stderr}");
            }
            return new Result(process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            try { dir.Delete(true); } catch (IOException) { }
        }
    }
}
