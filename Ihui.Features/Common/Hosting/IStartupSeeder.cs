using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Common.Hosting;

/// <summary>Fills an area's tables from configuration after the migrations ran (like the price seed); registered by an installer.</summary>
public interface IStartupSeeder
{
    Task SeedAsync(IConfiguration configuration, CancellationToken ct);
}
