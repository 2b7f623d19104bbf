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

    public static async Task<Result> RunAsync(IReadOnlyDictionary<string, string> environment, string[] args, string? stdin = null,
        TimeSpan? timeout = null)
    {
        var dir = Directory.CreateTempSubdirectory("ihui-proc-");
        try
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
