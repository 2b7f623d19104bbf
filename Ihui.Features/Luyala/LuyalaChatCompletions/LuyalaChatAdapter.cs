using Ihui.Features.Common.Billing;
using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Vendors;
using Ihui.Features.Common.Vendors.OpenAiCompatible;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Luyala.LuyalaChatCompletions;

/// <summary>Maps the slice to Luyala's OpenAI-compatible <c>chat/completions</c>; the upstream model is <c>LUYALA_CHAT_MODEL</c>.</summary>
public sealed class LuyalaChatAdapter(OpenAiCompatibleClient client, VendorEndpoints endpoints, IConfiguration configuration, CallContext call)
{
    public const string DefaultModel = "gpt-4o-mini";

    public async Task<(string Completion, Usage Usage)> CompleteAsync(LuyalaChatCompletionsRequest request, CancellationToken ct)
    {
        var vendor = endpoints.Get(KnownVendors.Luyala);
        call.Vendor = vendor.Name;
        var completion = await client.CompleteAsync(vendor.Definition, new ChatCompletionRequest
        {
            Model = configuration["LUYALA_CHAT_MODEL"] is { Length: > 0 } m ? m : DefaultModel,
            Messages = [new ChatMessage("user", request.Prompt)],
            MaxTokens = LuyalaChatCompletionsRequest.MaxOutputTokens,
        }, ct);

        var text = completion.Choices[0].Message?.Content ?? "";
        var usage = completion.Usage is { } u
            ? new Usage(u.PromptTokens, u.CompletionTokens)
            : new Usage(Usage.TokensForText(request.Prompt), Usage.TokensForText(text), Estimated: true);
        return (text, usage);
    }
}
