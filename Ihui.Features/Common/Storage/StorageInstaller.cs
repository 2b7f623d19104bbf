using Ihui.Features.Common.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Features.Common.Storage;

/// <summary>The object store (local directory, or S3 when <c>S3_BUCKET</c> is set) and the URL helper.</summary>
public sealed class StorageInstaller : IFeatureInstaller
{
    public void Install(IServiceCollection services, IConfiguration configuration)
    {
        var options = StorageOptions.From(configuration);
        services.AddSingleton(options);
        services.AddHttpContextAccessor();
        if (options.S3 is { } s3) services.AddSingleton<IObjectStore>(_ => new S3ObjectStore(s3));
        else services.AddSingleton<IObjectStore>(_ => new LocalDirectoryStore(options.Directory));
        services.AddSingleton<PublicUrls>();
        services.AddSingleton<ImageFiles>();
    }
}
