using System.Text.Json;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Models;
using Ihui.Features.Story.Shared;
using Ihui.Features.Common.Vendors.OpenAiCompatible;
using Ihui.Features.Common.ChatCompletions;
using Ihui.Features.Story.Images;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.Story.PromptedImages;

/// <summary>What one route asks for: the prompt template and its values, the two models, the size.</summary>
public sealed record ImagePlan(string Template, IReadOnlyDictionary<string, string?> Values, string PromptModel, string ImageModel, string Size, Uri? Origin);

/// <summary>
/// The two steps both routes share: a chat model writes the image prompt from the template, then the t2i model draws it
/// and the image is stored. Each step is its own call through the pipeline (a scope of its own: billed, logged, refunded on
/// failure), linked by one generation id as their <c>chat_id</c>. Both models are checked before either is called.
/// </summary>
public sealed class PromptedImageMaker(ModelCatalog catalog, StoryPromptStore prompts, IServiceScopeFactory scopes, ILogger<PromptedImageMaker> logger)
{
    public const int PromptMaxTokens = 400;
    public const int MaxPrompt = 4000;

    public async Task<(string Prompt, string ImageUrl, string GenerationId)> MakeAsync(ImagePlan plan,
        Func<ChatCompletionsBody, string, IRequest<ChatCompletionsResult>> writePrompt, Func<string, ImageJob, string, IRequest<DrawnImages>> draw,
        CancellationToken ct)
    {
        var promptModel = await catalog.FindEnabledAsync(plan.PromptModel, ct) is { IsChat: true } p ? p : throw ApiException.InvalidModel(plan.PromptModel);
        var imageModel = await catalog.FindEnabledAsync(plan.ImageModel, ct) is { } m && OpenAiImageGenerator.Serves(m)
            ? m : throw ApiException.InvalidModel(plan.ImageModel);
        var template = await prompts.TemplateAsync(plan.Template, ct) ?? throw new InvalidOperationException($"prompt template '{plan.Template}' is missing");
        var generationId = "gen_" + Guid.CreateVersion7().ToString("N");

        var body = new ChatCompletionsBody
        {
            Model = promptModel.Name,
            Messages = [new ChatMessageIn("user", JsonSerializer.SerializeToElement(StoryPromptStore.Fill(template, plan.Values)))],
        };
        ChatCompletionsResult written;
        await using (var scope = scopes.CreateAsyncScope())
            written = await scope.ServiceProvider.GetRequiredService<ISender>().Send(writePrompt(body, generationId), ct);
        var prompt = Clean(written.Response.Choices[0].Message.Content);
        if (prompt.Length == 0) throw ApiException.VendorError(promptModel.Vendor, "the prompt model answered with no prompt");

        var job = new ImageJob(imageModel.Vendor, imageModel.UpstreamModel, prompt, plan.Size, 1, ImagesEndpoint.RoutePrefix, plan.Origin?.ToString());
        DrawnImages drawn;
        await using (var scope = scopes.CreateAsyncScope())
            drawn = await scope.ServiceProvider.GetRequiredService<ISender>().Send(draw(imageModel.Name, job, generationId), ct);
        logger.LogInformation("Generation {GenerationId}: {PromptModel} wrote a {Length}-character prompt, {ImageModel} drew {Images} image(s)",
            generationId, promptModel.Name, prompt.Length, imageModel.Name, drawn.Urls.Count);
        return (prompt, drawn.Urls[0], generationId);
    }

    /// <summary>The prompt alone: models like to wrap it in a code fence or quotes.</summary>
    public static string Clean(string? answer)
    {
        var text = (answer ?? "").Trim();
        if (text.StartsWith("```", StringComparison.Ordinal))
        {
            var firstLine = text.IndexOf('\n');
            text = (firstLine < 0 ? "" : text[(firstLine + 1)..]).TrimEnd();
            if (text.EndsWith("```", StringComparison.Ordinal)) text = text[..^3];
            text = text.Trim();
        }
        if (text.Length >= 2 && text[0] is '"' or '“' && text[^1] is '"' or '”') text = text[1..^1].Trim();
        return text.Length > MaxPrompt ? text[..MaxPrompt] : text;
    }
}
