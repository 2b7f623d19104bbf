using Ihui.Features.Common.Billing;
using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Models;
using Ihui.Features.Story.Shared;
using Ihui.Features.Common.Vendors.OpenAiCompatible;
using Ihui.Features.Common.ChatCompletions;
using Mediator;

namespace Ihui.Features.Story.PromptedImages;

public sealed class GenerateAvatarHandler(PromptedImageMaker maker) : IRequestHandler<GenerateAvatarRequest, GeneratedAvatar>
{
    public async ValueTask<GeneratedAvatar> Handle(GenerateAvatarRequest r, CancellationToken ct)
    {
        var values = new Dictionary<string, string?>
        {
            ["art_style_keyword"] = r.ArtStyleKeyword, ["character_description"] = r.CharacterDescription,
            ["personality"] = r.Personality, ["reference_image_description"] = r.ReferenceImageDescription,
        };
        var (prompt, url, id) = await maker.MakeAsync(
            new ImagePlan("t2i_character", values, r.LlmIdForPrompt!, r.LlmIdForT2i!, r.Size ?? "1024*1024", r.Origin),
            (body, g) => new AvatarPromptRequest(body, r.AccessToken, PromptedImageMaker.PromptMaxTokens, g),
            (price, job, g) => new AvatarDrawRequest(price, job, r.AccessToken, g), ct);
        return new GeneratedAvatar(prompt, url, url, id);
    }
}

/// <summary>The models: the request's, else <c>STORY_PROMPT_MODEL</c> (or <c>STORY_CHAT_MODEL</c>) and <c>STORY_T2I_MODEL</c> (or the least used t2i model).</summary>
public sealed class GenerateBackgroundHandler(PromptedImageMaker maker, StoryChatSettings settings, ModelCatalog catalog)
    : IRequestHandler<GenerateBackgroundRequest, GeneratedBackground>
{
    public async ValueTask<GeneratedBackground> Handle(GenerateBackgroundRequest r, CancellationToken ct)
    {
        var promptModel = r.LlmIdForPrompt ?? settings.PromptModel
                          ?? throw new ApiException(503, "model_not_configured", "no model writes image prompts: set STORY_PROMPT_MODEL");
        var imageModel = r.LlmIdForT2i ?? settings.ImageModel ?? (await catalog.PickLeastUsedAsync(ModelTypes.TextToImage, ct))?.Name
                         ?? throw new ApiException(503, "model_not_configured", "no t2i model is enabled: set STORY_T2I_MODEL");
        var values = new Dictionary<string, string?> { ["style_keyword"] = r.StyleKeyword, ["background_description"] = r.BackgroundDescription };
        var (prompt, url, id) = await maker.MakeAsync(new ImagePlan("t2i_story_background", values, promptModel, imageModel, r.Size ?? "720*1280", r.Origin),
            (body, g) => new BackgroundPromptRequest(body, r.AccessToken, PromptedImageMaker.PromptMaxTokens, g),
            (price, job, g) => new BackgroundDrawRequest(price, job, r.AccessToken, g), ct);
        return new GeneratedBackground(prompt, url, id);
    }
}

public sealed class AvatarPromptHandler(OpenAiChatAdapter adapter) : IRequestHandler<AvatarPromptRequest, ChatCompletionsResult>
{
    public async ValueTask<ChatCompletionsResult> Handle(AvatarPromptRequest r, CancellationToken ct) => await adapter.CompleteAsync(r, ct);
}

public sealed class BackgroundPromptHandler(OpenAiChatAdapter adapter) : IRequestHandler<BackgroundPromptRequest, ChatCompletionsResult>
{
    public async ValueTask<ChatCompletionsResult> Handle(BackgroundPromptRequest r, CancellationToken ct) => await adapter.CompleteAsync(r, ct);
}

/// <summary>Draws and stores; the billing behaviour charges the images stored.</summary>
public sealed class DrawImageHandler(OpenAiImageGenerator generator, CallContext call)
    : IRequestHandler<AvatarDrawRequest, DrawnImages>, IRequestHandler<BackgroundDrawRequest, DrawnImages>
{
    public ValueTask<DrawnImages> Handle(AvatarDrawRequest r, CancellationToken ct) => DrawAsync(r, ct);

    public ValueTask<DrawnImages> Handle(BackgroundDrawRequest r, CancellationToken ct) => DrawAsync(r, ct);

    private async ValueTask<DrawnImages> DrawAsync(IDrawImageMessage r, CancellationToken ct)
    {
        call.Vendor = r.Job.Vendor;
        var urls = await generator.DrawAsync(r.Job, ct);
        return new DrawnImages(urls, new Usage(0, 0, Images: urls.Count));
    }
}
