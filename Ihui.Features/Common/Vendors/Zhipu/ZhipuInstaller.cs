using Ihui.Features.Common.Hosting;
using Ihui.Features.Common.Vendors.OpenAiCompatible;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Features.Common.Vendors.Zhipu;

public sealed class ZhipuInstaller : IFeatureInstaller
{
    public void Install(IServiceCollection services, IConfiguration configuration) =>
        services.AddSingleton<IBearerTokenProvider, ZhipuJwt>();
}
