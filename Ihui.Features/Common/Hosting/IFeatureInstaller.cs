using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Features.Common.Hosting;

/// <summary>
/// An area's own service registrations (its options, stores, hosted services). Installers are found by
/// scanning, so adding an area never edits the host.
/// </summary>
public interface IFeatureInstaller
{
    void Install(IServiceCollection services, IConfiguration configuration);
}
