using System.Runtime.CompilerServices;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Chat;
using Ihui.Features.Common.Vendors;
using Ihui.Features.Common.Vendors.OpenAiCompatible;
using Mediator;

namespace Ihui.Features.Voice.Answer;

public sealed class VoiceAnswerHandler(OpenAiCompatibleClient client, VendorEndpoints endpoints, CallContext call)
    : IStreamRequestHandler<AudioSocketAnswerRequest, ChatStreamChunk>, IStreamRequestHandler<VlmSocketAnswerRequest, ChatStreamChunk>
{
    public IAsyncEnumerable<ChatStreamChunk> Handle(AudioSocketAnswerRequest request, CancellationToken cancellationToken) =>
        StreamAsync(request, cancellationToken);

    public IAsyncEnumerable<ChatStreamChunk> Handle(VlmSocketAnswerRequest request, CancellationToken cancellationToken) =>
        StreamAsync(request, cancellationToken);

    private async IAsyncEnumerable<ChatStreamChunk> StreamAsync(VoiceAnswerRequest request, [EnumeratorCancellation] CancellationToken ct)
    {
        var vendor = endpoints.Get(KnownVendors.DashScope);
        call.Vendor = vendor.Name;
        await foreach (var chunk in client.StreamAsync(vendor.Definition, new ChatCompletionRequest
                       {
                           Model = request.Model,
                           Messages = request.Messages,
                           MaxTokens = request.MaxOutputTokens,
                       }, ct))
        {
            var content = chunk.Choices.Count > 0 && chunk.Choices[0].Delta?.Content is { Length: > 0 } c ? c : null;
            Usage? usage = chunk.Usage is { } u ? new Usage(u.PromptTokens, u.CompletionTokens) : null;
            if (content is null && usage is null) continue;
            yield return new ChatStreamChunk(content) { Usage = usage };
        }
    }
}
