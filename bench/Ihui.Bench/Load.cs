using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Ihui.Bench;

public sealed class Samples(List<double> ms, int errors, double seconds)
{
    private readonly double[] _sorted = [.. ms.Order()];
    public int Errors { get; } = errors;
    public int Count => _sorted.Length;
    public double Throughput => Count / seconds;

    public double P(double percentile)
    {
        if (_sorted.Length == 0) return double.NaN;
        var rank = (int)Math.Ceiling(percentile / 100 * _sorted.Length) - 1;
        return _sorted[Math.Clamp(rank, 0, _sorted.Length - 1)];
    }
}

public sealed record StreamSamples(Samples Ttft, Samples Gaps);

public static class Load
{
    public static string Header() => "| target | n | errors | p50 | p90 | p99 |\n|---|---|---|---|---|---|";

    public static string Row(string name, Samples s) =>
        $"| {name} | {s.Count} | {s.Errors} | {F(s.P(50))} | {F(s.P(90))} | {F(s.P(99))} |";

    public static string AddedRow(Samples ihui, Samples direct, string name = "added") =>
        $"| **{name}** | | | **{F(ihui.P(50) - direct.P(50))}** | **{F(ihui.P(90) - direct.P(90))}** | **{F(ihui.P(99) - direct.P(99))}** |";

    private static string F(double ms) => ms.ToString("F3", CultureInfo.InvariantCulture) + " ms";

    private static async Task<bool> SendAsync(HttpClient http, Func<HttpRequestMessage> make)
    {
        try
        {
            using var response = await http.SendAsync(make(), HttpCompletionOption.ResponseContentRead);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public static async Task<Samples> SequentialAsync(HttpClient http, Func<HttpRequestMessage> make, int count)
    {
        var ms = new List<double>(count);
        var errors = 0;
        var all = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            if (await SendAsync(http, make)) ms.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            else errors++;
        }
        return new Samples(ms, errors, all.Elapsed.TotalSeconds);
    }

    [DllImport("libc", SetLastError = false)]
    private static extern int usleep(uint microseconds);

    /// <summary>
    /// Sends at a fixed rate whatever the answers do; latency counts from the scheduled send time. The pacer is a
    /// thread of its own that sleeps (usleep, microsecond resolution) between sends instead of spinning: on a 2-core
    /// box a spinning pacer takes a whole core from the system under test.
    /// </summary>
    public static async Task<Samples> OpenLoopAsync(HttpClient http, Func<HttpRequestMessage> make, int rate, TimeSpan duration)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var ms = new double[total];
        var ok = new bool[total];
        var tasks = new Task[total];
        var ticksPerRequest = Stopwatch.Frequency / (double)rate;
        var microTicks = Stopwatch.Frequency / 1_000_000.0;
        var pacer = new Thread(() =>
        {
            var origin = Stopwatch.GetTimestamp();
            for (var i = 0; i < total; i++)
            {
                var due = origin + (long)(i * ticksPerRequest);
                var early = (due - Stopwatch.GetTimestamp()) / microTicks;
                if (early > 60) usleep((uint)(early - 50));
                while (Stopwatch.GetTimestamp() < due) Thread.SpinWait(20);
                var index = i;
                tasks[i] = Task.Run(async () =>
                {
                    ok[index] = await SendAsync(http, make);
                    ms[index] = (Stopwatch.GetTimestamp() - due) * 1000.0 / Stopwatch.Frequency;
                });
            }
        }) { IsBackground = true, Name = "open-loop pacer" };
        pacer.Start();
        await Task.Run(pacer.Join);
        await Task.WhenAll(tasks);
        var good = Enumerable.Range(0, total).Where(i => ok[i]).Select(i => ms[i]).ToList();
        return new Samples(good, total - good.Count, duration.TotalSeconds);
    }

    public static async Task<Samples> ClosedAsync(HttpClient http, Func<HttpRequestMessage> make, int connections, TimeSpan duration)
    {
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var bags = new List<double>[connections];
        var errors = 0;
        var workers = Enumerable.Range(0, connections).Select(w => Task.Run(async () =>
        {
            var mine = bags[w] = [];
            while (Stopwatch.GetTimestamp() < end)
            {
                var start = Stopwatch.GetTimestamp();
                if (await SendAsync(http, make)) mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                else Interlocked.Increment(ref errors);
            }
        }));
        var all = Stopwatch.StartNew();
        await Task.WhenAll(workers);
        return new Samples(bags.SelectMany(b => b).ToList(), errors, all.Elapsed.TotalSeconds);
    }

    /// <summary>Time to the first content chunk and the gaps between chunks, read as the client sees them.</summary>
    public static async Task<StreamSamples> StreamsAsync(HttpClient http, Func<HttpRequestMessage> make, int count)
    {
        var ttft = new List<double>();
        var gaps = new List<double>();
        var errors = 0;
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(make(), HttpCompletionOption.ResponseHeadersRead);
            if (!response.IsSuccessStatusCode) { errors++; continue; }
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            long last = 0;
            while (await reader.ReadLineAsync() is { } line)
            {
                if (!line.StartsWith("data:", StringComparison.Ordinal) || !line.Contains("\"content\":\"tok", StringComparison.Ordinal)) continue;
                var now = Stopwatch.GetTimestamp();
                if (last == 0) ttft.Add((now - start) * 1000.0 / Stopwatch.Frequency);
                else gaps.Add((now - last) * 1000.0 / Stopwatch.Frequency);
                last = now;
            }
        }
        return new StreamSamples(new Samples(ttft, errors, 1), new Samples(gaps, 0, 1));
    }

    /// <summary>
    /// Opens <paramref name="count"/> streams at once (started over <paramref name="rampUp"/>) and reads each to its end:
    /// how many were open together at the peak, the time to each one's first chunk, and the failures (a non-200, a
    /// cut stream, or one that ended without [DONE]).
    /// </summary>
    public static async Task<OpenStreamSamples> OpenStreamsAsync(HttpClient http, Func<HttpRequestMessage> make, int count, TimeSpan rampUp)
    {
        var open = 0;
        var peak = 0;
        var errors = 0;
        var ttft = new double[count];
        var origin = Stopwatch.GetTimestamp();
        var all = Enumerable.Range(0, count).Select(async i =>
        {
            await Task.Delay(rampUp * i / count);
            var start = Stopwatch.GetTimestamp();
            var counted = false;
            try
            {
                using var response = await http.SendAsync(make(), HttpCompletionOption.ResponseHeadersRead);
                if (!response.IsSuccessStatusCode) { Interlocked.Increment(ref errors); return; }
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
                var done = false;
                while (await reader.ReadLineAsync() is { } line)
                {
                    if (!counted && line.Contains("\"content\":\"tok", StringComparison.Ordinal))
                    {
                        ttft[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                        counted = true;
                        var now = Interlocked.Increment(ref open);
                        int seen;
                        while ((seen = Volatile.Read(ref peak)) < now && Interlocked.CompareExchange(ref peak, now, seen) != seen) { }
                    }
                    if (line == "data: [DONE]") done = true;
                }
                if (!done || !counted) Interlocked.Increment(ref errors);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                Interlocked.Increment(ref errors);
            }
            finally
            {
                if (counted) Interlocked.Decrement(ref open);
            }
        });
        await Task.WhenAll(all);
        return new OpenStreamSamples(peak, errors, new Samples([.. ttft.Where(t => t > 0)], errors, Stopwatch.GetElapsedTime(origin).TotalSeconds));
    }
}

public sealed record OpenStreamSamples(int PeakOpen, int Errors, Samples Ttft);
