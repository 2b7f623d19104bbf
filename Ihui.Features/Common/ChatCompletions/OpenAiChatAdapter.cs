using System.Runtime.CompilerServices;
using System.Text.Json;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Models;
using Ihui.Features.Common.Vendors;
using Ihui.Features.Common.Vendors.Gemini;
using Ihui.Features.Common.Vendors.OpenAiCompatible;

namespace Ihui.Features.Common.ChatCompletions;

/// <summary>
/// Routes a catalog model to its vendor: the OpenAI-compatible ones (Ark, DashScope, Zhipu, DeepSeek) through
/// <see cref="OpenAiCompatibleClient"/>, Gemini through <see cref="GeminiClient"/> (its answer streams as one chunk),
/// and maps the vendor's answer and usage back to OpenAI's shapes under the catalog name.
/// </summary>
public sealed class OpenAiChatAdapter(ModelCatalog catalog, OpenAiCompatibleClient client, GeminiClient gemini,
    CallContext call, TimeProvider clock)
{
    private static readonly string[] Forwarded = ["stop", "presence_penalty", "frequency_penalty", "seed", "response_format"];

    /// <summary>Fields a registry default may not set: the request's shape, and the three typed above.</summary>
    private static readonly HashSet<string> Reserved = ["model", "messages", "stream", "stream_options", "temperature", "top_p", "max_tokens", "n"];

    public async Task<ChatCompletionsResult> CompleteAsync(IChatCompletionsMessage request, CancellationToken ct)
    {
        var (model, vendor) = await RouteAsync(request.Body, ct);
        string content;
        string? reasoning = null, finish;
        Usage? reported;
        if (vendor == KnownVendors.Gemini)
            (content, finish, reported) = await GeminiAsync(model, request.Body, ct);
        else
        {
            var completion = await client.CompleteAsync(vendor, Upstream(model, request.Body), ct);
            var choice = completion.Choices[0];
            (content, reasoning, finish) = (choice.Message?.Content ?? "", choice.Message?.ReasoningContent, choice.FinishReason ?? "stop");
            reported = completion.Usage is { } u ? new Usage(u.PromptTokens, u.CompletionTokens) : null;
        }
        var usage = reported ?? request.EstimateUsage() with
        {
            OutputTokens = Usage.TokensForText(content) + Usage.TokensForText(reasoning), Estimated = true,
        };
        var response = new ChatCompletionResponse(CompletionId, "chat.completion", Now, model.Name,
            [new CompletionChoice(0, new AssistantMessage("assistant", content, reasoning), finish)], UsageOut.From(usage));
        return new ChatCompletionsResult(response, usage);
    }

    public async IAsyncEnumerable<ChatCompletionsChunk> StreamAsync(IChatCompletionsMessage request, [EnumeratorCancellation] CancellationToken ct)
    {
        var (model, vendor) = await RouteAsync(request.Body, ct);
        var (id, created) = (CompletionId, Now);
        ChatCompletionChunk Wire(IReadOnlyList<ChunkChoice> choices) => new(id, "chat.completion.chunk", created, model.Name, choices);

        if (vendor == KnownVendors.Gemini)
        {
            var (content, finish, usage) = await GeminiAsync(model, request.Body, ct);
            yield return new ChatCompletionsChunk { Wire = Wire([new ChunkChoice(0, new ChunkDelta("assistant", ""), null)]) };
            yield return new ChatCompletionsChunk { Wire = Wire([new ChunkChoice(0, new ChunkDelta(Content: content), null)]), DeliveredText = content };
            yield return new ChatCompletionsChunk { Wire = Wire([new ChunkChoice(0, new ChunkDelta(), finish)]), Usage = usage };
            yield break;
        }

        await foreach (var chunk in client.StreamAsync(vendor, Upstream(model, request.Body), ct))
        {
            var usage = chunk.Usage is { } u ? new Usage(u.PromptTokens, u.CompletionTokens) : (Usage?)null;
            var choices = new ChunkChoice[chunk.Choices.Count];
            var count = 0;
            string? delivered = null;
            for (var i = 0; i < choices.Length; i++)
            {
                if (chunk.Choices[i] is not { } c) continue; // a vendor's null choice carries nothing
                var d = c.Delta ?? c.Message;
                choices[count++] = new ChunkChoice(c.Index, new ChunkDelta(d?.Role, d?.Content, d?.ReasoningContent), c.FinishReason);
                delivered += d?.Content + d?.ReasoningContent;
            }
            if (count == 0)
            {
                if (usage is not null) yield return new ChatCompletionsChunk { Usage = usage };
                continue;
            }
            if (count < choices.Length) Array.Resize(ref choices, count);
            yield return new ChatCompletionsChunk { Wire = Wire(choices), Usage = usage, DeliveredText = delivered };
        }
    }

    private async ValueTask<(CatalogModel Model, VendorDefinition Vendor)> RouteAsync(ChatCompletionsBody body, CancellationToken ct)
    {
        var model = await catalog.FindEnabledAsync(body.Model ?? "", ct) ?? throw ApiException.InvalidModel(body.Model ?? "");
        var vendor = KnownVendors.Find(model.Vendor)
                     ?? throw new ApiException(503, "vendor_not_configured", $"model '{model.Name}' names vendor '{model.Vendor}', which this gateway does not serve");
        call.Vendor = vendor.Name;
        return (model, vendor);
    }

    private static ChatCompletionRequest Upstream(CatalogModel model, ChatCompletionsBody body)
    {
        Dictionary<string, JsonElement>? extra = null;
        void Add(string name, JsonElement? value)
        {
            if (value is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } v) (extra ??= [])[name] = v;
        }
        Add(Forwarded[0], body.Stop);
        Add(Forwarded[1], body.PresencePenalty is { } p ? JsonSerializer.SerializeToElement(p) : null);
        Add(Forwarded[2], body.FrequencyPenalty is { } f ? JsonSerializer.SerializeToElement(f) : null);
        Add(Forwarded[3], body.Seed is { } s ? JsonSerializer.SerializeToElement(s) : null);
        Add(Forwarded[4], body.ResponseFormat);
        // The registry's defaults (seed 003: "parameters are configured in the database"); the request's own values win.
        var defaults = ModelParameters.Of(model);
        foreach (var (name, value) in defaults)
            if (!Reserved.Contains(name) && extra?.ContainsKey(name) != true) (extra ??= [])[name] = value;
        return new ChatCompletionRequest
        {
            Model = model.UpstreamModel,
            Messages = body.Messages!.Select(m => new ChatMessage(m.Role!, m.Content)).ToList(),
            MaxTokens = body.RequestedMaxTokens ?? ModelParameters.Integer(defaults, "max_tokens"),
            Temperature = body.Temperature ?? ModelParameters.Number(defaults, "temperature"),
            TopP = body.TopP ?? ModelParameters.Number(defaults, "top_p"),
            Extra = extra,
        };
    }

    private async Task<(string Content, string Finish, Usage? Usage)> GeminiAsync(CatalogModel model, ChatCompletionsBody body, CancellationToken ct)
    {
        static string Text(JsonElement? content) => content switch
        {
            { ValueKind: JsonValueKind.String } s => s.GetString() ?? "",
            { ValueKind: JsonValueKind.Array } parts => string.Concat(parts.EnumerateArray()
                .Where(p => p.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                .Select(p => p.GetProperty("text").GetString())),
            _ => "",
        };
        var defaults = ModelParameters.Of(model);
        var system = body.Messages!.Where(m => m.Role is "system" or "developer").Select(m => Text(m.Content)).ToList();
        var contents = body.Messages!.Where(m => m.Role is not ("system" or "developer"))
            .Select(m => new GeminiContent(m.Role == "assistant" ? "model" : "user", [new GeminiPart { Text = Text(m.Content) }]))
            .ToList();
        var response = await gemini.GenerateAsync(model.UpstreamModel, new GenerateContentRequest
        {
            Contents = contents,
            SystemInstruction = system.Count > 0 ? new GeminiContent(null, [new GeminiPart { Text = string.Join("\n", system) }]) : null,
            GenerationConfig = new GenerationConfig
            {
                Temperature = body.Temperature ?? ModelParameters.Number(defaults, "temperature"),
                TopP = body.TopP ?? ModelParameters.Number(defaults, "top_p"),
                MaxOutputTokens = body.RequestedMaxTokens ?? ModelParameters.Integer(defaults, "max_tokens"),
            },
        }, ct);
        var finish = response.Candidates![0].FinishReason switch
        {
            "MAX_TOKENS" => "length",
            "SAFETY" or "RECITATION" or "BLOCKLIST" or "PROHIBITED_CONTENT" => "content_filter",
            _ => "stop",
        };
        var usage = response.UsageMetadata is { } u ? new Usage(u.PromptTokenCount, u.CandidatesTokenCount + u.ThoughtsTokenCount) : (Usage?)null;
        return (response.Text, finish, usage);
    }

    private string CompletionId => "chatcmpl-" + call.CallId;
    private long Now => clock.GetUtcNow().ToUnixTimeSeconds();
}
