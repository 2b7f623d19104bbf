using Ihui.Features.Common.Data;
using Ihui.Features.Common.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Features.Common.Wallet;

public sealed class WalletInstaller : IFeatureInstaller
{
    public void Install(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(WalletOptions.From(configuration));
        services.AddSingleton<WalletStore>();
        services.AddDataProtection().SetApplicationName("Ihui");
        services.AddOptions<KeyManagementOptions>()
            .Configure<Db, TimeProvider>((o, db, clock) => o.XmlRepository = new DbXmlRepository(db, clock));
    }
}
