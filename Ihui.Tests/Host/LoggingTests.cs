using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Host;

/// <summary>The host as an operator runs it: each log event is one line on the console, and every request gets its line.</summary>
public sealed class LoggingTests
{
    [Fact]
    public async Task Each_event_is_written_once_and_requests_are_logged()
    {
        await using var host = ApiProcess.Start(new Dictionary<string, string>());
        var address = await host.AddressAsync();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        Assert.True((await http.GetAsync("/health")).IsSuccessStatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("/no/such/route")).StatusCode);

        var end = DateTime.UtcNow.AddSeconds(20);
        while (!host.Output.Any(l => l.Contains("/no/such/route", StringComparison.Ordinal)) && DateTime.UtcNow < end) await Task.Delay(50);
        var output = host.Output;
        Assert.Single(output, l => l.Contains("Now listening on", StringComparison.Ordinal));
        Assert.Single(output, l => l.Contains("Database ready", StringComparison.Ordinal));
        Assert.Single(output, l => l.Contains("HTTP GET /health responded 200", StringComparison.Ordinal));
        Assert.Single(output, l => l.Contains("HTTP GET /no/such/route responded 404", StringComparison.Ordinal));
        // One line per event: no provider writes its own multi-line rendering ("info: Category[0]" + an indented message).
        Assert.DoesNotContain(output, l => l.StartsWith("info: ", StringComparison.Ordinal) || l.StartsWith("      ", StringComparison.Ordinal));
    }
}
