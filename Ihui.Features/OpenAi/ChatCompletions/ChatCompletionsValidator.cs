using System.Text.Json;
using FluentValidation;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Models;

namespace Ihui.Features.OpenAi.ChatCompletions;

/// <summary>
/// Field rules, then the catalog: a model that is unknown, disabled or not a chat model is OpenAI's
/// <c>invalid_model</c> (400), not a field error, so that rule throws it.
/// </summary>
public abstract class ChatCompletionsRules<T> : AbstractValidator<T> where T : IChatCompletionsMessage
{
    private static readonly HashSet<string> Roles = ["system", "developer", "user", "assistant", "tool"];

    protected ChatCompletionsRules(ModelCatalog catalog)
    {
        RuleFor(r => r.Body.Model).NotEmpty().MaximumLength(128);
        RuleFor(r => r.Body.Messages).NotEmpty().Must(m => m is null || m.Count <= 1000).WithMessage("at most 1000 messages");
        RuleForEach(r => r.Body.Messages).ChildRules(m =>
        {
            m.RuleFor(x => x.Role).NotEmpty().Must(r => r is null || Roles.Contains(r))
                .WithMessage("must be one of system, developer, user, assistant, tool");
            m.RuleFor(x => x.Content).Must(BeContent).WithMessage("must be a string or an array of text/image_url parts");
            m.RuleFor(x => x.Content).Must(c => c is { ValueKind: not JsonValueKind.Null }).When(x => x.Role != "assistant")
                .WithMessage("is required");
        }).OverridePropertyName("messages");
        RuleFor(r => r.Body.Temperature).InclusiveBetween(0, 2).When(r => r.Body.Temperature is not null);
        RuleFor(r => r.Body.TopP).InclusiveBetween(0, 1).When(r => r.Body.TopP is not null);
        RuleFor(r => r.Body.MaxTokens).InclusiveBetween(1, 1_000_000).When(r => r.Body.MaxTokens is not null);
        RuleFor(r => r.Body.MaxCompletionTokens).InclusiveBetween(1, 1_000_000).When(r => r.Body.MaxCompletionTokens is not null);
        RuleFor(r => r.Body.N).Equal(1).When(r => r.Body.N is not null).WithMessage("only n = 1 is supported");
        RuleFor(r => r.Body.Model).CustomAsync(async (model, _, ct) =>
        {
            if (await catalog.FindEnabledAsync(model!, ct) is not { Type: ModelTypes.Chat })
                throw ApiException.InvalidModel(model!);
        }).When(r => !string.IsNullOrEmpty(r.Body.Model) && r.Body.Model.Length <= 128);
    }

    private static bool BeContent(JsonElement? content) => content switch
    {
        null => true,
        { ValueKind: JsonValueKind.String or JsonValueKind.Null } => true,
        { ValueKind: JsonValueKind.Array } parts => parts.EnumerateArray().All(BePart),
        _ => false,
    };

    private static bool BePart(JsonElement part) =>
        part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() switch
        {
            "text" => part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String,
            "image_url" => part.TryGetProperty("image_url", out var i) && i.ValueKind == JsonValueKind.Object
                           && i.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String,
            _ => false,
        };
}

public sealed class ChatCompletionsValidator(ModelCatalog catalog) : ChatCompletionsRules<ChatCompletionsRequest>(catalog);

public sealed class ChatCompletionsStreamValidator(ModelCatalog catalog) : ChatCompletionsRules<ChatCompletionsStreamRequest>(catalog);
