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
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<IStartupSeeder>(sp => sp.GetRequiredService<ModelCatalog>());
        services.AddSingleton<ApiKeyStore>();
    }
}
