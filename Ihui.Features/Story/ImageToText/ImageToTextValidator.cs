using Ihui.Features.Common.ChatCompletions;
using FluentValidation;
using FluentValidation.Results;
using Ihui.Features.Common.Models;
using Ihui.Features.Common.Vendors;

namespace Ihui.Features.Story.ImageToText;

/// <summary>
/// The chat-completions rules, serving <c>i2t</c> models only. Gemini is left out: Ihui's Gemini mapping sends text parts
/// alone, so the image would be dropped without a word. No streaming (the seed shows one JSON answer).
/// </summary>
public sealed class ImageToTextValidator(ModelCatalog catalog) : ChatCompletionsRules<ImageToTextRequest>(catalog)
{
    protected override bool Serves(CatalogModel model) => model.Type == ModelTypes.ImageToText && model.Vendor != KnownVendors.Gemini.Name;

    public override async Task<ValidationResult> ValidateAsync(ValidationContext<ImageToTextRequest> context, CancellationToken cancellation = default)
    {
        var result = await base.ValidateAsync(context, cancellation);
        if (context.InstanceToValidate.Body.Stream == true) result.Errors.Add(new ValidationFailure("stream", "streaming is not offered on this route"));
        return result;
    }
}

public sealed class ImageToTextHandler(OpenAiChatAdapter adapter) : Mediator.IRequestHandler<ImageToTextRequest, ChatCompletionsResult>
{
    public async ValueTask<ChatCompletionsResult> Handle(ImageToTextRequest request, CancellationToken ct) => await adapter.CompleteAsync(request, ct);
}
