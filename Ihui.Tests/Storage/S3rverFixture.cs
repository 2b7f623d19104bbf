using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;
using Ihui.Features.Common.Storage;

namespace Ihui.Tests.Storage;

/// <summary>
/// A real S3-compatible server on loopback: the one at <c>IHUI_TEST_S3_ENDPOINT</c> (CI starts npm's s3rver and sets it),
/// else an s3rver started here from PATH. Each fixture gets a bucket of its own.
/// </summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";
    private Process? _process;
    private string? _dataDir;

    public static string? ConfiguredEndpoint => Environment.GetEnvironmentVariable("IHUI_TEST_S3_ENDPOINT") is { Length: > 0 } e ? e : null;

    public static bool Available => ConfiguredEndpoint is not null || FindOnPath("s3rver") is not null;

    public Uri Endpoint { get; private set; } = null!;
    public string Bucket { get; } = "ihui-test-" + Guid.NewGuid().ToString("N")[..12];

    public async Task InitializeAsync()
    {
        if (!Available) return;
        Endpoint = new Uri(ConfiguredEndpoint ?? await StartAsync());
        using var client = new AmazonS3Client(new BasicAWSCredentials(AccessKey, SecretKey),
            new AmazonS3Config { ServiceURL = Endpoint.ToString().TrimEnd('/'), ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        await client.PutBucketAsync(Bucket);
    }

    public S3StoreOptions Options(Uri? publicBaseUrl = null, string prefix = "") => new()
    {
        Bucket = Bucket, Endpoint = Endpoint, Region = "us-east-1", AccessKeyId = AccessKey, SecretAccessKey = SecretKey,
        ForcePathStyle = true, KeyPrefix = prefix, PublicBaseUrl = publicBaseUrl,
    };

    private async Task<string> StartAsync()
    {
        _dataDir = Directory.CreateTempSubdirectory("ihui-s3rver-").FullName;
        var start = new ProcessStartInfo(FindOnPath("s3rver")!, ["-d", _dataDir, "-a", "127.0.0.1", "-p", "0"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            const string marker = "listening on ";
            var at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at < 0) continue;
            // Keep draining its log so it never blocks on a full pipe.
            _ = _process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            return "http://" + line[(at + marker.Length)..].Trim();
        }
        throw new InvalidOperationException("s3rver did not start");
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.WaitForExit(5000);
        _process?.Dispose();
        if (_dataDir is not null) try { Directory.Delete(_dataDir, true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
}

/// <summary>
/// A test that needs s3rver. Without one it is reported as skipped on a developer's machine; under CI (<c>CI</c> set) it
/// runs, and fails, so a CI run can never pass without the S3 tests.
/// </summary>
public sealed class S3FactAttribute : FactAttribute
{
    public S3FactAttribute()
    {
        if (!S3rverFixture.Available && Environment.GetEnvironmentVariable("CI") is not { Length: > 0 })
            Skip = "no s3rver: npm install -g s3rver@3.7.1 (or set IHUI_TEST_S3_ENDPOINT)";
    }
}
