using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ihui.Tests.Infrastructure;

/// <summary>
/// A running Ihui server in a process of its own (the built <c>Ihui.Api.dll</c> next to the tests), on a free loopback
/// port, as an operator runs it: for tests that need several real instances side by side.
/// </summary>
public sealed class IhuiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _dir;
    private readonly StringBuilder _output = new();

    public Uri BaseAddress { get; }
    public HttpClient Http { get; }
    public string Output { get { lock (_output) return _output.ToString(); } }

    private IhuiProcess(Process process, DirectoryInfo dir, Uri baseAddress)
    {
        (_process, _dir, BaseAddress) = (process, dir, baseAddress);
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static async Task<IhuiProcess> StartAsync(IReadOnlyDictionary<string, string?> environment)
    {
        var port = FreePort();
        var dir = Directory.CreateTempSubdirectory("ihui-instance-");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dir.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Ihui.Api.dll"));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["SQLITE_PATH"] = Path.Combine(dir.FullName, "ihui.db");
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        start.Environment.Remove("IHUI_TEST_MYSQL");
        foreach (var (k, v) in environment)
            if (v is null) start.Environment.Remove(k);
            else start.Environment[k.Replace(":", "__", StringComparison.Ordinal)] = v;

        var instance = new IhuiProcess(Process.Start(start)!, dir, new Uri($"http://127.0.0.1:{port}"));
        var end = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (instance._process.HasExited)
                throw new InvalidOperationException($"Ihui exited with {instance._process.ExitCode}: {instance.Output}");
            try
            {
                using var health = await instance.Http.GetAsync("/health");
                if (health.StatusCode == HttpStatusCode.OK) return instance;
            }
            catch (HttpRequestException)
            {
            }
            if (DateTime.UtcNow > end)
            {
                await instance.DisposeAsync();
                throw new TimeoutException($"Ihui did not answer /health within 60 s: {instance.Output}");
            }
            await Task.Delay(100);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>kill -9: the process dies at once, with nothing flushed or given back.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as an orchestrator stops an instance: the host shuts down gracefully; waits for the exit.</summary>
    public async Task StopAsync(TimeSpan? wait = null)
    {
        if (_process.HasExited) return;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(wait ?? TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await _process.WaitForExitAsync(wait.Token); } catch (OperationCanceledException) { }
        }
        _process.Dispose();
        try { _dir.Delete(true); } catch (IOException) { }
    }
}
