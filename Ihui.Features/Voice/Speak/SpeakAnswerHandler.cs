using System.Runtime.CompilerServices;
using Ihui.Features.Voice.Audio;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Vendors.DashScope;
using Mediator;

namespace Ihui.Features.Voice.Speak;

/// <summary>
/// Feeds the sentences to DashScope's realtime TTS as they come and turns its audio into runs of whole MP3 frames:
/// PCM is encoded with LAME in process, MP3 (when the model is asked for it) is passed through, cut at frame bounds.
/// The vendor socket is read only when the consumer takes the next chunk, so a slow client slows the vendor.
/// </summary>
public sealed class SpeakAnswerHandler(DashScopeRealtimeTts tts, CallContext call)
    : IStreamRequestHandler<AudioSocketSpeakRequest, SpeechChunk>, IStreamRequestHandler<VlmSocketSpeakRequest, SpeechChunk>
{
    public const int MinChunkBytes = 2048;

    public IAsyncEnumerable<SpeechChunk> Handle(AudioSocketSpeakRequest request, CancellationToken cancellationToken) => SpeakAsync(request, cancellationToken);

    public IAsyncEnumerable<SpeechChunk> Handle(VlmSocketSpeakRequest request, CancellationToken cancellationToken) => SpeakAsync(request, cancellationToken);

    private async IAsyncEnumerable<SpeechChunk> SpeakAsync(SpeakAnswerRequest request, [EnumeratorCancellation] CancellationToken ct)
    {
        call.Vendor = tts.VendorName;
        var options = tts.Options;
        var passThrough = options.ResponseFormat == "mp3";
        if (!passThrough && !LameMp3Encoder.Available) throw new ApiException(503, "mp3_unavailable", "MP3 encoding is unavailable: install libmp3lame0");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await using var session = await tts.ConnectAsync(stop.Token);
        var spoken = new Queue<int>();
        var feeder = FeedAsync(session, request, spoken, stop);
        using var encoder = passThrough ? null : new LameMp3Encoder(options.SampleRate);
        var frames = new Mp3FrameReader();
        long characters = 0;
        long pcmBytes = 0;
        try
        {
            await foreach (var e in Guarded(session.ReadAsync(stop.Token), feeder, ct))
            {
                switch (e)
                {
                    case TtsEvent.Audio audio:
                        if (encoder is null) frames.Append(audio.Bytes);
                        else
                        {
                            pcmBytes += audio.Bytes.Length;
                            frames.Append(encoder.Encode(audio.Bytes).Span);
                        }
                        // Runs of at least MinChunkBytes (~1/3 s at 48 kbps): fewer, larger frames to the client.
                        if (frames.Buffered >= MinChunkBytes && frames.TakeWholeFrames() is { Length: > 0 } mp3)
                            yield return new SpeechChunk(mp3) { Usage = Produced() };
                        break;
                    case TtsEvent.ResponseDone done:
                        lock (spoken) characters += done.Characters ?? (spoken.TryDequeue(out var n) ? n : 0);
                        yield return new SpeechChunk(frames.TakeWholeFrames(), SegmentDone: true) { Usage = Produced() };
                        break;
                }
            }
            await feeder; // a feeding failure (the answer failed) surfaces here
            if (encoder is not null) frames.Append(encoder.Flush().Span);
            var tail = frames.TakeWholeFrames();
            if (tail.Length > 0) yield return new SpeechChunk(tail) { Usage = Produced() };
        }
        finally
        {
            await stop.CancelAsync();
            try { await feeder; } catch (Exception) { /* already reported, or cancelled with the turn */ }
        }

        Usage Produced() => new(0, characters, Seconds: encoder is null ? (decimal)frames.Seconds : Math.Round(pcmBytes / 2m / options.SampleRate, 3));
    }

    /// <summary>A feeding failure stops the reading (see <see cref="FeedAsync"/>): the reader then reports that failure, not its own cancellation.</summary>
    private static async IAsyncEnumerable<TtsEvent> Guarded(IAsyncEnumerable<TtsEvent> events, Task feeder, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var e = events.GetAsyncEnumerator(ct);
        while (true)
        {
            try
            {
                if (!await e.MoveNextAsync()) yield break;
            }
            catch (Exception) when (feeder.IsFaulted && !ct.IsCancellationRequested)
            {
                await feeder;
                throw;
            }
            yield return e.Current;
        }
    }

    private static async Task FeedAsync(RealtimeTtsSession session, SpeakAnswerRequest request, Queue<int> spoken, CancellationTokenSource stop)
    {
        await Task.Yield();
        try
        {
            await foreach (var sentence in request.Sentences.ReadAllAsync(stop.Token))
            {
                lock (spoken) spoken.Enqueue(sentence.Length);
                await session.SpeakAsync(sentence, stop.Token);
            }
            await session.FinishAsync(stop.Token);
        }
        catch (Exception) when (!stop.IsCancellationRequested)
        {
            await stop.CancelAsync();
            throw;
        }
    }
}
