using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ihui.Bench;

// Ihui's added latency and throughput against a fake OpenAI-compatible upstream, on loopback, in one run.
// See bench/README.md for the method. Everything listens on 127.0.0.1 and every loop is bounded.
if (args is ["--bare-proxy-child", var parentPid, var upstreamUrl, var listenUrl])
{
    // The bare pass-through as a process of its own, like Ihui: the yardstick pays the same process hops. It ends
    // when the harness does, however the harness ends (see Children).
    await using var child = new BareProxy();
    await child.StartAsync(upstreamUrl, listenUrl);
    Console.WriteLine("ready");
    await ParentWatch.GoneAsync(int.Parse(parentPid, CultureInfo.InvariantCulture));
    return 0;
}
if (args is ["--guard", var guardedBy, var guardedFile, .. var guardedArgs])
    return await ParentWatch.GuardAsync(int.Parse(guardedBy, CultureInfo.InvariantCulture), guardedFile, guardedArgs);

var opt = Options.Parse(args);
var repo = FindRepo();
var outDir = Path.Combine(repo, "bench", "out");
var results = new StringBuilder();
void Report(string line) { Console.WriteLine(line); results.AppendLine(line); }

if (!opt.NoBuild)
{
    Console.WriteLine("publishing Ihui.Api (Release)…");
    Run("dotnet", ["publish", Path.Combine(repo, "Ihui.Api"), "-c", "Release", "-o", Path.Combine(outDir, "ihui"), "-v", "q", "-nologo"], repo);
}

await using var upstream = new FakeUpstream();
await upstream.StartAsync(opt.StreamChunks, TimeSpan.FromMilliseconds(opt.ChunkGapMs));
await using var proxy = new BareProxy();
await proxy.StartAsync(upstream.BaseUrl);
var proxyChildUrl = $"http://127.0.0.1:{17000 + Random.Shared.Next(1000)}";
using var proxyChild = StartSelf(["--bare-proxy-child", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), upstream.BaseUrl, proxyChildUrl]);

// --db-dir: where the SQLite file lives (default: the temp directory, on disk here).
var dbDir = args.SkipWhile(a => a != "--db-dir").Skip(1).FirstOrDefault() ?? Path.GetTempPath();
var dbPath = Path.Combine(dbDir, $"ihui-bench-{Guid.NewGuid():N}.db");
var port = 18000 + Random.Shared.Next(1000);
var env = new Dictionary<string, string>
{
    ["ASPNETCORE_ENVIRONMENT"] = "Production",
    ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
    ["DASHSCOPE_API_KEY"] = FakeUpstream.Key,
    ["DASHSCOPE_BASE_URL"] = upstream.BaseUrl,
    ["DOUBAO_API_KEY"] = FakeUpstream.Key,
    ["DOUBAO_BASE_URL"] = upstream.BaseUrl,
    ["Serilog__MinimumLevel__Default"] = "Warning",
    ["Serilog__MinimumLevel__Override__Ihui"] = "Warning",
};
// --ihui-env K=V,K2=V2: extra environment for the Ihui process (runtime knobs to compare).
foreach (var pair in (args.SkipWhile(a => a != "--ihui-env").Skip(1).FirstOrDefault() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
    env[pair[..pair.IndexOf('=')]] = pair[(pair.IndexOf('=') + 1)..];
if (opt.MySql is { } mysql)
    foreach (var (k, v) in mysql) env[k] = v;
else
    env["SQLITE_PATH"] = dbPath;

// --ihui-dll PATH: run that build of Ihui instead of the one published above.
var ihuiDll = args.SkipWhile(a => a != "--ihui-dll").Skip(1).FirstOrDefault() ?? Path.Combine(outDir, "ihui", "Ihui.Api.dll");
var created = Run("dotnet", [ihuiDll, "create-user", $"bench-{Guid.NewGuid():N}"[..32], "1000000000000"], repo, env);
var userUuid = created.Split(' ').First(p => p.StartsWith("user_uuid=", StringComparison.Ordinal))["user_uuid=".Length..].Trim();

using var ihuiGuard = Start("dotnet", [ihuiDll], repo, env);
using var ihuiProcess = Children.Guarded(ihuiGuard); // the Ihui process itself, for its CPU and memory figures
var ihuiUrl = $"http://127.0.0.1:{port}";
var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 4096, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
{
    Timeout = TimeSpan.FromSeconds(30),
};
await WaitHealthyAsync(http, ihuiUrl);

const string upstreamBody = "{\"model\":\"qwen-vl-max\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}],\"max_tokens\":1024}";
Func<HttpRequestMessage> Upstream(string baseUrl, string body) => () =>
{
    var r = new HttpRequestMessage(HttpMethod.Post, baseUrl + "/compatible-mode/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", FakeUpstream.Key);
    return r;
};
var direct = Upstream(upstream.BaseUrl, upstreamBody);
var bare = Upstream(proxy.BaseUrl, upstreamBody);
var bareChild = Upstream(proxyChildUrl, upstreamBody);
var openAiKey = await TryCreateApiKeyAsync(http, ihuiUrl, userUuid);
// --users N: the calls are spread over N billed users (one key each), round robin. With one user every call queues on
// that user's balance row (the worst case on MySQL/InnoDB); many users is the usual case.
var keys = new List<string?> { openAiKey };
for (var u = 1; u < opt.Users && openAiKey is not null; u++)
{
    var more = Run("dotnet", [ihuiDll, "create-user", $"bench-{Guid.NewGuid():N}"[..32], "1000000000000"], repo, env);
    var uuid = more.Split(' ').First(p => p.StartsWith("user_uuid=", StringComparison.Ordinal))["user_uuid=".Length..].Trim();
    keys.Add(await TryCreateApiKeyAsync(http, ihuiUrl, uuid));
}
var nextKey = 0;
Func<HttpRequestMessage> OpenAi(bool stream, string content = "hi") => () =>
{
    var r = new HttpRequestMessage(HttpMethod.Post, ihuiUrl + "/v1/chat/completions")
    {
        Content = new StringContent($"{{\"model\":\"qwen-plus\",\"stream\":{(stream ? "true" : "false")},\"messages\":[{{\"role\":\"user\",\"content\":\"{content}\"}}]}}", Encoding.UTF8, "application/json"),
    };
    r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", keys[(int)((uint)Interlocked.Increment(ref nextKey) % keys.Count)]);
    return r;
};
var ihuiBody = $"{{\"prompt\":\"hi\",\"image_urls\":[],\"model\":\"qwen-vl-max\",\"user_uuid\":\"{userUuid}\"}}";
Func<HttpRequestMessage> seedRoute = () => new HttpRequestMessage(HttpMethod.Post, ihuiUrl + "/cozeZhsApi/dashscope/vision/chat")
{
    Content = new StringContent(ihuiBody, Encoding.UTF8, "application/json"),
};
// The OpenAI-compatible route is the hot path; the seed route is the fallback when no API key can be made.
var ihui = openAiKey is null ? seedRoute : OpenAi(stream: false);
var ihuiRoute = openAiKey is null ? "/cozeZhsApi/dashscope/vision/chat" : "/v1/chat/completions (API key)";
if (openAiKey is not null)
{
    const string chatBody = "{\"model\":\"qwen-plus\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    direct = Upstream(upstream.BaseUrl, chatBody);
    bare = Upstream(proxy.BaseUrl, chatBody);
    bareChild = Upstream(proxyChildUrl, chatBody);
}
Func<HttpRequestMessage>? ihuiStream = openAiKey is null ? null : OpenAi(stream: true);
const string streamBody = "{\"model\":\"qwen-plus\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
var bareChildStream = Upstream(proxyChildUrl, streamBody);
var directStream = Upstream(upstream.BaseUrl, streamBody);

if (opt.ServeSeconds > 0)
{
    // For profiling by hand: everything up, nothing measured.
    Console.WriteLine($"serving for {opt.ServeSeconds} s: ihui {ihuiUrl} (pid {ihuiProcess.Id}), bare proxy child pid {proxyChild.Id}, upstream {upstream.BaseUrl}, proxy {proxy.BaseUrl}, key {openAiKey}, user {userUuid}");
    await Task.Delay(TimeSpan.FromSeconds(opt.ServeSeconds));
}

Report($"# Ihui bench {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Report($"store: {(opt.MySql is null ? $"SQLite ({dbPath})" : "MySQL/MariaDB")}, {keys.Count} billed user(s), billing + call log on, {Environment.ProcessorCount} cores, route {ihuiRoute}, Ihui warmed up {opt.WarmupSeconds} s");
Report("");

// Ihui's warm-up is long enough for the runtime to finish compiling its hot methods at full optimisation: profiled
// with a 3-second warm-up, the first 10 s of load still spent ~15 % of Ihui's CPU in the JIT (none after 40 s).
await Load.ClosedAsync(http, ihui, 8, TimeSpan.FromSeconds(opt.WarmupSeconds));
await Load.ClosedAsync(http, direct, 4, TimeSpan.FromSeconds(2));
await Load.ClosedAsync(http, bare, 4, TimeSpan.FromSeconds(2));
await Load.ClosedAsync(http, bareChild, 4, TimeSpan.FromSeconds(2));

if (opt.Has("seq"))
{
Report("## Added latency, sequential (" + opt.Sequential + " requests each)");
var seqDirect = await Load.SequentialAsync(http, direct, opt.Sequential);
var seqIhui = await Load.SequentialAsync(http, ihui, opt.Sequential);
var seqBare = await Load.SequentialAsync(http, bareChild, opt.Sequential);
Report(Load.Header());
Report(Load.Row("direct", seqDirect));
Report(Load.Row("ihui", seqIhui));
Report(Load.Row("bare proxy, own process (reference)", seqBare));
var seqHealth = await Load.SequentialAsync(http, () => new HttpRequestMessage(HttpMethod.Get, ihuiUrl + "/health"), opt.Sequential);
Report(Load.Row("ihui GET /health (no vendor, one DB read)", seqHealth));
Report(Load.AddedRow(seqIhui, seqDirect));
Report(Load.AddedRow(seqBare, seqDirect, "added by the bare proxy (the box's floor for any proxy process)"));
Report("");
}

if (opt.Has("open"))
{
Report($"## Added latency, open loop ({opt.Seconds} s per rate; latency from the scheduled send time)");
Report(Load.Header());
foreach (var rate in opt.Rates)
{
    var d = await Load.OpenLoopAsync(http, direct, rate, TimeSpan.FromSeconds(opt.Seconds));
    var i = await Load.OpenLoopAsync(http, ihui, rate, TimeSpan.FromSeconds(opt.Seconds));
    var b = await Load.OpenLoopAsync(http, bareChild, rate, TimeSpan.FromSeconds(opt.Seconds));
    Report(Load.Row($"direct @{rate}/s", d));
    Report(Load.Row($"ihui @{rate}/s", i));
    Report(Load.Row($"bare proxy, own process @{rate}/s", b));
    Report(Load.AddedRow(i, d, $"added @{rate}/s"));
    Report(Load.AddedRow(b, d, $"added by the bare proxy @{rate}/s"));
}
Report("");
}

if (opt.Has("sat"))
{
Report($"## Saturation throughput (closed loop, {opt.Concurrency} connections, {opt.Seconds} s)");
var satBareIn = await Load.ClosedAsync(http, bare, opt.Concurrency, TimeSpan.FromSeconds(opt.Seconds));
// CPU per call of the process under test and of the harness (load generator + fake upstream), from the kernel's
// accounting: steadier than throughput on a shared box, and it says where the cores went.
var harness = Process.GetCurrentProcess();
var (bareCpu, harnessCpuBare) = (CpuSeconds(proxyChild), CpuSeconds(harness));
var satBare = await Load.ClosedAsync(http, bareChild, opt.Concurrency, TimeSpan.FromSeconds(opt.Seconds));
(bareCpu, harnessCpuBare) = (CpuSeconds(proxyChild) - bareCpu, CpuSeconds(harness) - harnessCpuBare);
var (ihuiCpu, harnessCpuIhui) = (CpuSeconds(ihuiProcess), CpuSeconds(harness));
var satIhui = await Load.ClosedAsync(http, ihui, opt.Concurrency, TimeSpan.FromSeconds(opt.Seconds));
(ihuiCpu, harnessCpuIhui) = (CpuSeconds(ihuiProcess) - ihuiCpu, CpuSeconds(harness) - harnessCpuIhui);
Report("| target | req/s | errors | CPU per call: the target | the harness |\n|---|---|---|---|---|");
Report($"| bare proxy, own process (the yardstick) | {satBare.Throughput:F0} | {satBare.Errors} | {PerCall(bareCpu, satBare)} | {PerCall(harnessCpuBare, satBare)} |");
Report($"| bare proxy, inside the harness process (no process hops: a flattering reference) | {satBareIn.Throughput:F0} | {satBareIn.Errors} | | |");
Report($"| ihui | {satIhui.Throughput:F0} | {satIhui.Errors} | {PerCall(ihuiCpu, satIhui)} | {PerCall(harnessCpuIhui, satIhui)} |");
Report($"ratio ihui / bare proxy (own process) = {satIhui.Throughput / satBare.Throughput:F2}; against the in-harness proxy = {satIhui.Throughput / satBareIn.Throughput:F2}");
Report("");
}

if (!opt.Has("stream"))
{
}
else if (ihuiStream is not null)
{
    Report($"## Streams ({opt.StreamRequests} sequential, {opt.StreamChunks} chunks, {opt.ChunkGapMs} ms apart upstream)");
    // Ihui's warm-up above sends no streams: without this, the stream path's first calls (JIT, first use of its
    // services) were the slowest streams of the run, 8–53 ms, and 3 of them are half of a 600-stream p99.
    await Load.StreamsAsync(http, ihuiStream, 50);
    await Load.StreamsAsync(http, directStream, 10);
    await Load.StreamsAsync(http, bareChildStream, 10);
    var sd = await Load.StreamsAsync(http, directStream, opt.StreamRequests);
    var si = await Load.StreamsAsync(http, ihuiStream, opt.StreamRequests);
    var sb = await Load.StreamsAsync(http, bareChildStream, opt.StreamRequests);
    Report("| | TTFT p50 | TTFT p99 | gap p50 | gap p99 |\n|---|---|---|---|---|");
    Report($"| direct | {Ms(sd.Ttft.P(50))} | {Ms(sd.Ttft.P(99))} | {Ms(sd.Gaps.P(50))} | {Ms(sd.Gaps.P(99))} |");
    Report($"| ihui | {Ms(si.Ttft.P(50))} | {Ms(si.Ttft.P(99))} | {Ms(si.Gaps.P(50))} | {Ms(si.Gaps.P(99))} |");
    Report($"| bare proxy, own process | {Ms(sb.Ttft.P(50))} | {Ms(sb.Ttft.P(99))} | {Ms(sb.Gaps.P(50))} | {Ms(sb.Gaps.P(99))} |");
    Report($"| added | {Ms(si.Ttft.P(50) - sd.Ttft.P(50))} | {Ms(si.Ttft.P(99) - sd.Ttft.P(99))} | {Ms(si.Gaps.P(50) - sd.Gaps.P(50))} | {Ms(si.Gaps.P(99) - sd.Gaps.P(99))} |");
    Report($"| added by the bare proxy | {Ms(sb.Ttft.P(50) - sd.Ttft.P(50))} | {Ms(sb.Ttft.P(99) - sd.Ttft.P(99))} | {Ms(sb.Gaps.P(50) - sd.Gaps.P(50))} | {Ms(sb.Gaps.P(99) - sd.Gaps.P(99))} |");
}
else
{
    Report("## Streams: skipped (no /api/keys route to create an API key for /v1/chat/completions)");
}
Report("");
Report($"peak RSS of ihui: {PeakRssMb(ihuiProcess.Id):F0} MB");

if (opt.Has("open-streams") && ihuiStream is not null)
{
    // Last, so that the RSS it reports is what holding the streams open costs on top of everything before.
    var hold = $"hold-{opt.OpenStreamSeconds * 1000}";
    var ihuiHold = OpenAi(stream: true, hold);
    var bareHold = Upstream(proxyChildUrl, $"{{\"model\":\"qwen-plus\",\"stream\":true,\"messages\":[{{\"role\":\"user\",\"content\":\"{hold}\"}}]}}");
    var rampUp = TimeSpan.FromSeconds(Math.Max(1, opt.OpenStreamSeconds / 4));
    var rssBefore = RssMb(ihuiProcess.Id);
    using var sampler = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
    double rssPeak = rssBefore, bareRssPeak = RssMb(proxyChild.Id);
    using var stop = new CancellationTokenSource();
    var sampling = Task.Run(async () =>
    {
        try
        {
            while (await sampler.WaitForNextTickAsync(stop.Token))
            {
                rssPeak = Math.Max(rssPeak, RssMb(ihuiProcess.Id));
                bareRssPeak = Math.Max(bareRssPeak, RssMb(proxyChild.Id));
            }
        }
        catch (OperationCanceledException)
        {
        }
    });
    var oi = await Load.OpenStreamsAsync(http, ihuiHold, opt.OpenStreams, rampUp);
    var ob = await Load.OpenStreamsAsync(http, bareHold, opt.OpenStreams, rampUp);
    stop.Cancel();
    await sampling;
    Report($"## Open streams ({opt.OpenStreams} at once, each {opt.OpenStreamSeconds} s long, {opt.StreamChunks} chunks, started over {rampUp.TotalSeconds:F0} s)");
    Report("| target | open at the peak | errors | TTFT p50 | TTFT p99 | RSS during the phase (before → peak) |\n|---|---|---|---|---|---|");
    Report($"| ihui | {oi.PeakOpen} | {oi.Errors} | {Ms(oi.Ttft.P(50))} | {Ms(oi.Ttft.P(99))} | {rssBefore:F0} → {rssPeak:F0} MB |");
    Report($"| bare proxy, own process | {ob.PeakOpen} | {ob.Errors} | {Ms(ob.Ttft.P(50))} | {Ms(ob.Ttft.P(99))} | → {bareRssPeak:F0} MB |");
    Report($"peak RSS of ihui over the whole run: {PeakRssMb(ihuiProcess.Id):F0} MB");
    Report("");
}

Children.KillAll();
await ihuiGuard.WaitForExitAsync();
foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(dbPath + suffix);
var resultsDir = Path.Combine(repo, "bench", "results");
Directory.CreateDirectory(resultsDir);
var file = Path.Combine(resultsDir, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}.md");
await File.WriteAllTextAsync(file, results.ToString());
Console.WriteLine($"written {file}");
return 0;

static Process StartSelf(string[] arguments)
{
    var p = Children.StartSelf(arguments, redirectOutput: true);
    if (p.StandardOutput.ReadLine() != "ready") throw new InvalidOperationException("the bare proxy process did not start");
    return p;
}

static double CpuSeconds(Process p)
{
    p.Refresh();
    return p.TotalProcessorTime.TotalSeconds;
}

static string PerCall(double cpuSeconds, Samples r) =>
    r.Throughput > 0 ? (cpuSeconds * 1e6 / (r.Count + r.Errors)).ToString("F0", CultureInfo.InvariantCulture) + " µs" : "";

static string Ms(double ms) => ms.ToString("F3", CultureInfo.InvariantCulture) + " ms";

static async Task<string?> TryCreateApiKeyAsync(HttpClient http, string baseUrl, string userUuid)
{
    var response = await http.PostAsync($"{baseUrl}/api/keys", new StringContent($"{{\"user_uuid\":\"{userUuid}\",\"name\":\"bench\"}}", Encoding.UTF8, "application/json"));
    if (!response.IsSuccessStatusCode) return null;
    using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    return FindKey(doc.RootElement);

    static string? FindKey(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String when e.GetString()!.StartsWith("sk-", StringComparison.Ordinal) => e.GetString(),
        JsonValueKind.Object => e.EnumerateObject().Select(p => FindKey(p.Value)).FirstOrDefault(k => k is not null),
        JsonValueKind.Array => e.EnumerateArray().Select(FindKey).FirstOrDefault(k => k is not null),
        _ => null,
    };
}

static async Task WaitHealthyAsync(HttpClient http, string baseUrl)
{
    for (var i = 0; i < 120; i++)
    {
        try
        {
            if ((await http.GetAsync(baseUrl + "/health")).IsSuccessStatusCode) return;
        }
        catch (HttpRequestException)
        {
        }
        await Task.Delay(250);
    }
    throw new InvalidOperationException("Ihui did not become healthy");
}

static double PeakRssMb(int pid) => StatusMb(pid, "VmHWM:");

static double RssMb(int pid) => StatusMb(pid, "VmRSS:");

static double StatusMb(int pid, string field)
{
    var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
    return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
}

static string FindRepo()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ihui.sln"))) dir = dir.Parent;
    return dir?.FullName ?? throw new InvalidOperationException("run from inside the repository");
}

static string Run(string file, string[] arguments, string cwd, IDictionary<string, string>? env = null)
{
    using var p = Start(file, arguments, cwd, env, redirect: true);
    var output = p.StandardOutput.ReadToEnd();
    var error = p.StandardError.ReadToEnd();
    p.WaitForExit();
    if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {error}{output}");
    return output;
}

// Every process goes through Children: none outlives the harness, however it ends.
static Process Start(string file, string[] arguments, string cwd, IDictionary<string, string>? env = null, bool redirect = false) =>
    Children.StartGuarded(file, arguments, cwd, env, redirect);

sealed record Options(int Sequential, int[] Rates, int Seconds, int Concurrency, int StreamRequests, int StreamChunks, int ChunkGapMs,
    bool NoBuild, Dictionary<string, string>? MySql, string[] Phases, int ServeSeconds, int Users, int WarmupSeconds,
    int OpenStreams, int OpenStreamSeconds)
{
    /// <summary>Whether a phase (seq, open, sat, stream, open-streams) was asked for; all run by default.</summary>
    public bool Has(string phase) => Phases.Contains(phase);

    public static Options Parse(string[] args)
    {
        string? Get(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        Dictionary<string, string>? mysql = null;
        if (Get("--mysql") is { } m)
        {
            var b = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = m };
            mysql = new()
            {
                ["DB_HOST"] = b.TryGetValue("Server", out var s) ? s.ToString()! : "127.0.0.1",
                ["DB_PORT"] = b.TryGetValue("Port", out var p) ? p.ToString()! : "3306",
                ["DB_USER"] = b.TryGetValue("User ID", out var u) ? u.ToString()! : "root",
                ["DB_PASSWORD"] = b.TryGetValue("Password", out var pw) ? pw.ToString()! : "",
                ["DB_NAME"] = b.TryGetValue("Database", out var d) ? d.ToString()! : "ihui_bench",
            };
        }
        return new Options(
            int.Parse(Get("--sequential") ?? "2000", CultureInfo.InvariantCulture),
            (Get("--rates") ?? "200,500,1000").Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray(),
            int.Parse(Get("--seconds") ?? "10", CultureInfo.InvariantCulture),
            int.Parse(Get("--concurrency") ?? "64", CultureInfo.InvariantCulture),
            int.Parse(Get("--stream-requests") ?? "300", CultureInfo.InvariantCulture),
            int.Parse(Get("--stream-chunks") ?? "20", CultureInfo.InvariantCulture),
            int.Parse(Get("--chunk-gap-ms") ?? "2", CultureInfo.InvariantCulture),
            args.Contains("--no-build"),
            mysql,
            (Get("--phases") ?? "seq,open,sat,stream,open-streams").Split(','),
            int.Parse(Get("--serve") ?? "0", CultureInfo.InvariantCulture),
            Math.Max(1, int.Parse(Get("--users") ?? "1", CultureInfo.InvariantCulture)),
            Math.Max(1, int.Parse(Get("--warmup") ?? "20", CultureInfo.InvariantCulture)),
            Math.Max(1, int.Parse(Get("--open-streams") ?? "1000", CultureInfo.InvariantCulture)),
            Math.Max(1, int.Parse(Get("--open-stream-seconds") ?? "10", CultureInfo.InvariantCulture)));
    }
}
