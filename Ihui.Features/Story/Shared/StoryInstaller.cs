using Ihui.Features.Common.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Features.Story.Shared;

/// <summary>Seed 003's stores; every class named <c>*Store</c> in the story platform's namespaces.</summary>
public sealed class StoryInstaller : IFeatureInstaller
{
    public void Install(IServiceCollection services, IConfiguration configuration)
    {
        foreach (var type in typeof(FeaturesAssembly).Assembly.GetTypes().Where(t =>
                     t is { IsClass: true, IsAbstract: false } && t.Name.EndsWith("Store", StringComparison.Ordinal)
                     && (t.Namespace == typeof(StoryInstaller).Namespace || t.Namespace?.StartsWith("Ihui.Features.Story.", StringComparison.Ordinal) == true)))
            services.AddSingleton(type);
        services.AddSingleton(StoryChatSettings.From(configuration));
        services.AddSingleton<HistorySweeper>();
        services.AddSingleton<Ihui.Features.Story.PromptedImages.PromptedImageMaker>();
        services.AddHostedService(sp => sp.GetRequiredService<HistorySweeper>());
    }
}
