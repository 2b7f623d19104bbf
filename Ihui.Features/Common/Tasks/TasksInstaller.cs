using Ihui.Features.Common.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ihui.Features.Common.Tasks;

/// <summary>The task engine, its poller and hub, and every <see cref="ITaskVendor"/> in this assembly.</summary>
public sealed class TasksInstaller : IFeatureInstaller
{
    public void Install(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TaskOptions.From(configuration));
        services.AddSingleton<TaskHub>();
        services.AddSingleton<TaskStore>();
        services.AddSingleton<TaskEngine>();
        services.AddScoped<ITaskSubmitter, TaskSubmitter>();
        services.AddHostedService<TaskPoller>();
        foreach (var type in typeof(FeaturesAssembly).Assembly.GetTypes()
                     .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ITaskVendor).IsAssignableFrom(t)))
            services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(ITaskVendor), type));
    }
}
