using System.Text.Json;
using System.Globalization;
using FluentValidation;
using FluentValidation.Results;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Models;

namespace Ihui.Features.Common.ChatCompletions;

/// <summary>
/// Field rules, then the catalog: a model that is unknown, disabled or not a chat model is OpenAI's
/// <c>invalid_model</c> (400), not a field error, so that check throws it.
/// The rules are written out in one pass rather than as FluentValidation rule chains: a stream's first token waits for
/// them, and FluentValidation's deep generic chains cost ~110 µs from cold caches (bench/README.md) against a few µs
/// here. The messages keep FluentValidation's wording (tests pin them), and the class stays an
/// <see cref="AbstractValidator{T}"/> (its validation overridden) so that the validation behaviour finds it as before.
/// </summary>
public abstract class ChatCompletionsRules<T>(ModelCatalog catalog) : AbstractValidator<T> where T : IChatCompletionsMessage
{
    private static readonly HashSet<string> Roles = ["system", "developer", "user", "assistant", "tool"];
    public const int MaxModelName = 128;
    public const int MaxMessages = 1000;

    public override async Task<ValidationResult> ValidateAsync(ValidationContext<T> context, CancellationToken cancellation = default) =>
        await ValidateBodyAsync(context.InstanceToValidate.Body, cancellation);

    /// <summary>The same, for callers of the synchronous API (the catalog is almost always answered from its cache).</summary>
    public override ValidationResult Validate(ValidationContext<T> context) =>
        ValidateBodyAsync(context.InstanceToValidate.Body, default).AsTask().GetAwaiter().GetResult();

    /// <summary>Whether this route serves the model: chat completions serve chat and other models; a route for another type says so.</summary>
    protected virtual bool Serves(CatalogModel model) => model.IsChat;

    private async ValueTask<ValidationResult> ValidateBodyAsync(ChatCompletionsBody body, CancellationToken ct)
    {
        var (failures, model) = Check(body);
        if (model is not null && !(await catalog.FindEnabledAsync(model, ct) is { } found && Serves(found)))
            throw ApiException.InvalidModel(model);
        return new ValidationResult(failures ?? []);
    }

    /// <summary>The field failures (null when none), and the model name to look up in the catalog (null when the name itself is invalid).</summary>
    private static (List<ValidationFailure>? Failures, string? Model) Check(ChatCompletionsBody body)
    {
        List<ValidationFailure>? failures = null;
        void Fail(string field, string message) => (failures ??= []).Add(new ValidationFailure(field, message));

        var model = body.Model;
        if (string.IsNullOrWhiteSpace(model)) Fail("model", "'model' must not be empty.");
        if (model is { Length: > MaxModelName })
            Fail("model", $"The length of 'model' must be {MaxModelName} characters or fewer. You entered {model.Length} characters.");

        var messages = body.Messages;
        if (messages is not { Count: > 0 }) Fail("messages", "'messages' must not be empty.");
        else if (messages.Count > MaxMessages) Fail("messages", $"at most {MaxMessages} messages");
        for (var i = 0; messages is not null && i < messages.Count; i++)
        {
            if (messages[i] is not { } message)
            {
                Fail($"messages[{i}]", "must be an object with a role and content");
                continue;
            }
            if (string.IsNullOrWhiteSpace(message.Role)) Fail($"messages[{i}].role", "'role' must not be empty.");
            if (message.Role is { } role && !Roles.Contains(role))
                Fail($"messages[{i}].role", "must be one of system, developer, user, assistant, tool");
            if (!BeContent(message.Content)) Fail($"messages[{i}].content", "must be a string or an array of text/image_url parts");
            if (message.Role != "assistant" && message.Content is null or { ValueKind: JsonValueKind.Null })
                Fail($"messages[{i}].content", "is required");
        }

        if (OutOf(body.Temperature, 0, 2)) Fail("temperature", Between("temperature", 0, 2, body.Temperature));
        if (OutOf(body.TopP, 0, 1)) Fail("top_p", Between("top_p", 0, 1, body.TopP));
        if (OutOf(body.MaxTokens, 1, 1_000_000)) Fail("max_tokens", Between("max_tokens", 1, 1_000_000, body.MaxTokens));
        if (OutOf(body.MaxCompletionTokens, 1, 1_000_000))
            Fail("max_completion_tokens", Between("max_completion_tokens", 1, 1_000_000, body.MaxCompletionTokens));
        if (body.N is not null and not 1) Fail("n", "only n = 1 is supported");

        return (failures, string.IsNullOrEmpty(model) || model.Length > MaxModelName ? null : model);
    }

    private static bool OutOf(double? value, double from, double to) => value is { } v && !(v >= from && v <= to);

    private static string Between(string field, int from, int to, double? value) =>
        $"'{field}' must be between {from} and {to}. You entered {value!.Value.ToString(CultureInfo.InvariantCulture)}.";

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
