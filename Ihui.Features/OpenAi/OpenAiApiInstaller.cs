using Ihui.Features.Common.ApiKeys;
using Ihui.Features.Common.Hosting;
using Ihui.Features.Common.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Features.OpenAi;

/// <summary>The OpenAI-compatible API's shared state: the model catalog (seeded from <c>Models:</c>) and the API key store.</summary>
public sealed class OpenAiApiInstaller : IFeatureInstaller
{
    public void Install(IServiceCollection services, IConfiguration configuration)
    {
        ModelCatalog.CheckConfigured(configuration);
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<IStartupSeeder>(sp => sp.GetRequiredService<ModelCatalog>());
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton(OpenAiApiSettings.From(configuration));
    }
}

/// <summary>Seed 004: a body without <c>model</c> uses <c>QWEN_CHAT_MODEL</c> (default <c>qwen-plus</c>).</summary>
public sealed record OpenAiApiSettings(string DefaultModel)
{
    public static OpenAiApiSettings From(IConfiguration c) => new(c["QWEN_CHAT_MODEL"] is { Length: > 0 } m ? m : "qwen-plus");
}
