using System.Text;
using Ihui.Features.Common.Vendors;
using Ihui.Tests.Infrastructure;

namespace Ihui.Tests.Vendors;

public sealed class SseReaderTests
{
    private static async Task<List<string>> ReadAllAsync(Stream stream, int maxEventBytes = SseReader.DefaultMaxEventBytes)
    {
        using var reader = new SseReader(stream, maxEventBytes: maxEventBytes);
        var payloads = new List<string>();
        while (await reader.ReadAsync(CancellationToken.None)) payloads.Add(Encoding.UTF8.GetString(reader.Current.Span));
        return payloads;
    }

    private const string Mixed =
        "data: a\n\n: keep-alive\n\ndata: {\"x\":\"\u4f60\u597d\"}\r\n\r\ndata: l1\ndata:l2\n\nevent: e\nid: 3\nretry: 5\ndata: [DONE]\n\n";

    [Fact]
    public async Task Payloads_come_out_whole_however_the_bytes_are_split()
    {
        var bytes = Encoding.UTF8.GetBytes(Mixed);
        for (var piece = 1; piece <= bytes.Length; piece++)
            Assert.Equal(["a", "{\"x\":\"\u4f60\u597d\"}", "l1\nl2", "[DONE]"], await ReadAllAsync(new PiecewiseStream(bytes, piece)));
    }

    [Fact]
    public async Task Lines_may_end_in_cr_alone_and_empty_data_is_not_an_event()
    {
        var bytes = Encoding.UTF8.GetBytes("data: one\r\rdata:\r\rdata: two\rdata: three\r\r");
        for (var piece = 1; piece <= bytes.Length; piece++)
            Assert.Equal(["one", "two\nthree"], await ReadAllAsync(new PiecewiseStream(bytes, piece)));
    }

    [Fact]
    public async Task A_payload_left_open_by_the_end_of_the_stream_is_the_last_one()
    {
        Assert.Equal(["first", "tail"], await ReadAllAsync(new PiecewiseStream("data: first\n\ndata: tail"u8.ToArray(), 3)));
        Assert.Equal(["first"], await ReadAllAsync(new PiecewiseStream("data: first\n\n: bye"u8.ToArray(), 3)));
    }

    [Fact]
    public async Task An_event_far_larger_than_one_read_is_put_together()
    {
        var big = new string('x', 100_000) + "\u00e9";
        Assert.Equal([big, "after"], await ReadAllAsync(new PiecewiseStream(Encoding.UTF8.GetBytes($"data: {big}\n\ndata: after\n\n"), 1500)));
    }

    [Fact]
    public async Task An_event_or_a_line_over_the_limit_is_refused()
    {
        await Assert.ThrowsAsync<InvalidDataException>(() =>
            ReadAllAsync(new PiecewiseStream(Encoding.UTF8.GetBytes($"data: {new string('x', 600)}\ndata: {new string('y', 600)}\n\n"), 4096), 1000));
        await Assert.ThrowsAsync<InvalidDataException>(() =>
            ReadAllAsync(new PiecewiseStream(Encoding.UTF8.GetBytes(new string('z', 50_000)), 4096), 10_000));
        Assert.Single(await ReadAllAsync(new PiecewiseStream(Encoding.UTF8.GetBytes($"data: {new string('x', 990)}\n\n"), 4096), 1000));
    }

    [Fact]
    public async Task It_waits_for_the_vendor_without_a_buffer_and_reads_only_once_bytes_have_come()
    {
        var stream = new PiecewiseStream("data: a\n\ndata: b\n\n"u8.ToArray(), 9);
        Assert.Equal(["a", "b"], await ReadAllAsync(stream));
        // Each wait with nothing unparsed is a zero-byte read; the buffer is rented after it.
        Assert.Equal(0, stream.Reads[0]);
        Assert.True(stream.Reads[1] > 0);
        Assert.Equal(0, stream.Reads[2]);
    }
}
