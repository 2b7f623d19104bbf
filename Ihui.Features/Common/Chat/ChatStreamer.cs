using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Common.Vendors;
using Ihui.Features.Common.Vendors.OpenAiCompatible;

namespace Ihui.Features.Common.Chat;

/// <summary>
/// Runs one chat turn against an OpenAI-compatible vendor: history + prompt out, content/reasoning deltas and
/// the vendor's usage back; when the vendor finishes, the turn is stored under its chat_id.
/// </summary>
public sealed class ChatStreamer(OpenAiCompatibleClient client, VendorEndpoints endpoints, ChatHistoryStore history,
    CallContext call, CurrentCaller caller, TimeProvider clock)
{
    public async IAsyncEnumerable<ChatStreamChunk> StreamAsync(VendorDefinition definition, ChatStreamRequest request,
        IReadOnlyDictionary<string, object>? extra, [EnumeratorCancellation] CancellationToken ct)
    {
        var vendor = endpoints.Get(definition);
        call.Vendor = vendor.Name;
        var started = clock.GetUtcNow().UtcDateTime;
        var messages = new List<ChatMessage>(request.Turn.History.Count + 1);
        foreach (var m in request.Turn.History) messages.Add(new ChatMessage(m.Role, m.Content));
        messages.Add(new ChatMessage("user", request.Prompt));

        var answer = new StringBuilder();
        await foreach (var chunk in client.StreamAsync(definition, new ChatCompletionRequest
                       {
                           Model = request.Model,
                           Messages = messages,
                           MaxTokens = request.Turn.MaxOutputTokens,
                           Extra = extra?.ToDictionary(p => p.Key, p => JsonSerializer.SerializeToElement(p.Value, OpenAiCompatibleClient.Json)),
                       }, ct))
        {
            var delta = chunk.Choices.Count > 0 ? chunk.Choices[0].Delta : null;
            var content = delta?.Content is { Length: > 0 } c ? c : null;
            var reasoning = delta?.ReasoningContent is { Length: > 0 } r ? r : null;
            Usage? usage = chunk.Usage is { } u ? new Usage(u.PromptTokens, u.CompletionTokens) : null;
            if (content is null && reasoning is null && usage is null) continue;
            answer.Append(content);
            yield return new ChatStreamChunk(content, reasoning) { Usage = usage };
        }

        if (request.ChatId is { Length: > 0 } chatId)
            await history.AppendTurnAsync(chatId, caller.Caller.UserId, request.Prompt ?? "", answer.ToString(), started);
    }
}
