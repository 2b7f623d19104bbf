using System.Diagnostics;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Security;
using Ihui.Features.Common.Vendors;
using Ihui.Features.Common.Vendors.Channels;
using Ihui.Features.Common.Vendors.Gemini;
using Ihui.Features.Common.Vendors.OpenAiCompatible;
using Mediator;

namespace Ihui.Features.Admin.TestChannel;

public sealed class TestChannelHandler(ChannelAdmin channels, OpenAiCompatibleClient client, GeminiClient gemini, IEnumerable<IChannelProbe> probes,
    AdminAudit audit, CurrentAdmin current) : IRequestHandler<TestChannelRequest, Envelope<TestChannelResult>>
{
    public async ValueTask<Envelope<TestChannelResult>> Handle(TestChannelRequest r, CancellationToken cancellationToken)
    {
        var channel = channels.Find(r.Id!);
        var probe = probes.FirstOrDefault(p => p.Vendor == channel.Vendor);
        var model = r.Model?.Trim() is { Length: > 0 } named ? named : channel.Models?.Keys.Order(StringComparer.Ordinal).FirstOrDefault();
        if (probe is null && model is null) throw ApiException.BadRequest("this channel serves every model: name one to test in 'model'");
        if (probe is not null) model = probe.ModelFor(model);
        var started = Stopwatch.GetTimestamp();
        TestChannelResult result;
        try
        {
            // The vendor's own words, scrubbed like every vendor message that reaches a response.
            var reply = SecretScrubber.Scrub(probe is null ? await PingAsync(channel, model!, cancellationToken) : await probe.ProbeAsync(channel, model, cancellationToken));
            result = new TestChannelResult(true, model, Elapsed(), reply.Length > 200 ? reply[..200] : reply, null, null, channels.View(channel.Id));
        }
        catch (ApiException e)
        {
            result = new TestChannelResult(false, model, Elapsed(), null, e.Status, e.Message, channels.View(channel.Id));
        }
        await audit.RecordAsync(current.Admin, "channel_test", $"{channel.Vendor.Name}/{channel.Name}",
            $"{(probe is null ? "" : "query=no-such-task ")}{(model is null ? "" : $"model={model} ")}ok={result.Ok}{(result.Status is { } s ? " status=" + s : "")}");
        return Envelope.Ok(result);

        long Elapsed() => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>One small real call in the vendor's own protocol, to this channel alone.</summary>
    private async Task<string> PingAsync(Channel channel, string model, CancellationToken ct)
    {
        if (channel.Vendor == KnownVendors.Gemini)
            return (await gemini.GenerateAsync(model, new GenerateContentRequest
            {
                Contents = [new GeminiContent("user", [new GeminiPart { Text = "ping" }])],
                GenerationConfig = new GenerationConfig { MaxOutputTokens = 16 },
            }, ct, only: channel)).Text;
        var completion = await client.CompleteAsync(channel.Vendor, new ChatCompletionRequest
        {
            Model = model, Messages = [new ChatMessage("user", "ping")], MaxTokens = 16,
        }, ct, only: channel);
        return completion.Choices[0].Message?.Content ?? "";
    }
}
