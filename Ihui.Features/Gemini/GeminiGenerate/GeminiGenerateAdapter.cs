using Ihui.Features.Common.Billing;
using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Vendors.Gemini;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Gemini.GeminiGenerate;

/// <summary>
/// Maps the slice to <c>generateContent</c>. Seed names such as <c>gemini-3</c> are aliases resolved through
/// <c>GeminiModels:&lt;alias&gt;</c>; other <c>gemini-*</c> names go to the vendor as given.
/// </summary>
public sealed class GeminiGenerateAdapter(GeminiClient client, IConfiguration configuration, CallContext call)
{
    public async Task<(string Content, Usage Usage)> GenerateAsync(GeminiGenerateRequest request, CancellationToken ct)
    {
        call.Vendor = GeminiClient.Vendor.Name;
        var upstream = configuration[$"GeminiModels:{request.EffectiveModel}"] ?? request.EffectiveModel;
        var response = await client.GenerateAsync(upstream, new GenerateContentRequest
        {
            Contents = [new GeminiContent("user", [new GeminiPart { Text = request.Prompt }])],
            GenerationConfig = new GenerationConfig { Temperature = request.Temperature, MaxOutputTokens = request.EffectiveMaxTokens },
        }, ct);

        var text = response.Text;
        var usage = response.UsageMetadata is { } u
            ? new Usage(u.PromptTokenCount, u.CandidatesTokenCount + u.ThoughtsTokenCount)
            : new Usage(Usage.TokensForText(request.Prompt), Usage.TokensForText(text), Estimated: true);
        return (text, usage);
    }
}
