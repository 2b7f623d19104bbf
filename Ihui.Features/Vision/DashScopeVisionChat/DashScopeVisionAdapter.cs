using Ihui.Features.Common.Billing;
using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Vendors;
using Ihui.Features.Common.Vendors.OpenAiCompatible;

namespace Ihui.Features.Vision.DashScopeVisionChat;

/// <summary>Maps the slice to DashScope's OpenAI-compatible chat with image parts (vendor-protocols.md §3a).</summary>
public sealed class DashScopeVisionAdapter(OpenAiCompatibleClient client, VendorEndpoints endpoints, CallContext call)
{
    public async Task<(string Content, Usage Usage)> AskAsync(DashScopeVisionChatRequest request, CancellationToken ct)
    {
        var vendor = endpoints.Get(KnownVendors.DashScope);
        call.Vendor = vendor.Name;
        var parts = new List<ContentPart>((request.ImageUrls?.Count ?? 0) + 1);
        foreach (var url in request.ImageUrls ?? []) parts.Add(ContentPart.FromImage(url));
        parts.Add(ContentPart.FromText(request.Prompt!));

        var completion = await client.CompleteAsync(vendor.Definition, new ChatCompletionRequest
        {
            Model = request.EffectiveModel,
            Messages = [new ChatMessage("user", parts)],
            MaxTokens = DashScopeVisionChatRequest.MaxOutputTokens,
        }, ct);

        var content = completion.Choices[0].Message?.Content ?? "";
        var usage = completion.Usage is { } u
            ? new Usage(u.PromptTokens, u.CompletionTokens)
            : request.EstimateUsage() with { OutputTokens = Usage.TokensForText(content), Estimated = true };
        return (content, usage);
    }
}
