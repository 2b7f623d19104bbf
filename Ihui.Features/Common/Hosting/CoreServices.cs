using System.Net;
using System.Text.Json;
using FluentValidation;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Configuration;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Common.Security;
using Ihui.Features.Common.Telemetry;
using Ihui.Features.Common.Users;
using Ihui.Features.Common.Vendors;
using Ihui.Features.Common.Vendors.Gemini;
using Ihui.Features.Common.Vendors.OpenAiCompatible;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.Common.Hosting;

public static class CoreServices
{
    /// <summary>Everything the slices share: data, billing, call log, auth resolvers, vendor clients, validators, adapters.</summary>
    public static IServiceCollection AddIhuiCore(this IServiceCollection services, IConfiguration configuration)
    {
        // Field names in validation messages are the wire names (snake_case), not the C# names.
        ValidatorOptions.Global.PropertyNameResolver = (_, member, _) => member is null ? null : JsonNamingPolicy.SnakeCaseLower.ConvertName(member.Name);
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) => member is null ? null : JsonNamingPolicy.SnakeCaseLower.ConvertName(member.Name);
        SecretScrubber.RegisterConfigured(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddIhuiTelemetry(configuration);
        services.AddSingleton(GatewaySettings.From(configuration));
        services.AddSingleton(DatabaseOptions.From(configuration));
        services.AddSingleton<Db>();
        services.AddSingleton<WriteRetry>();
        services.AddHostedService<SqliteWalCheckpointer>();
        services.AddSingleton<Migrator>();
        _ = PriceBook.Configured(configuration);
        services.AddSingleton<PriceBook>();
        services.AddSingleton<Ledger>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<CallLogStore>();
        services.AddSingleton(Billing.Leases.LeaseOptions.From(configuration));
        services.AddSingleton<Billing.Leases.LeaseStore>();
        services.AddSingleton<Billing.Leases.BillingJournal>();
        services.AddSingleton<Billing.Leases.LeaseBook>();
        services.AddHostedService<Billing.Leases.LeaseKeeper>();
        services.AddHostedService<HoldSweeper>();

        services.AddScoped<CallContext>();
        services.AddScoped<CurrentCaller>();
        services.AddScoped<Authenticator>();
        services.AddScoped<Biller>();

        services.AddSingleton<VendorEndpoints>();
        services.AddSingleton(VendorStreamSettings.From(configuration));
        services.AddSingleton<OpenAiCompatibleClient>();
        services.AddSingleton<OpenAiImageGenerator>();
        services.AddSingleton<GeminiClient>();
        foreach (var vendor in KnownVendors.All) services.AddVendorHttpClient(vendor, configuration);

        var features = typeof(FeaturesAssembly).Assembly;
        services.Scan(scan => scan.FromAssemblies(features)
            .AddClasses(c => c.AssignableTo<ICredentialResolver>()).As<ICredentialResolver>().WithTransientLifetime()
            .AddClasses(c => c.AssignableTo(typeof(IValidator<>))).AsImplementedInterfaces().WithSingletonLifetime()
            .AddClasses(c => c.Where(t => t.Name.EndsWith("Adapter", StringComparison.Ordinal))).AsSelf().WithScopedLifetime());

        foreach (var installer in features.GetTypes()
                     .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IFeatureInstaller).IsAssignableFrom(t))
                     .Select(t => (IFeatureInstaller)Activator.CreateInstance(t)!))
            installer.Install(services, configuration);
        return services;
    }

    public static readonly TimeSpan VendorConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The handler of every vendor HTTP client, like a proxy's: no cookies kept between callers, redirects not followed
    /// (a vendor's 3xx is its answer), a bounded connect so a dead host fails over quickly, pooled connections renewed so
    /// DNS changes are seen. Vendor calls get a span and a <c>traceparent</c> only when traces are exported
    /// (<paramref name="traced"/>); otherwise a vendor learns nothing of Ihui's request ids, and no call starts an
    /// <see cref="System.Diagnostics.Activity"/> for nobody.
    /// </summary>
    public static SocketsHttpHandler VendorHandler(bool traced) => new()
    {
        ActivityHeadersPropagator = traced ? System.Diagnostics.DistributedContextPropagator.Current : null,
        UseCookies = false,
        AllowAutoRedirect = false,
        ConnectTimeout = VendorConnectTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.All,
        MaxConnectionsPerServer = 1024,
        // An abandoned vendor stream must stop the vendor at once, not be drained for connection reuse.
        MaxResponseDrainSize = 0,
    };

    /// <summary>
    /// A named client per vendor; the vendor's timeout is applied per call so it can be told from a client cancel.
    /// The vendor's settings (base URL, timeout) are checked here, so a bad value stops the start.
    /// </summary>
    public static IServiceCollection AddVendorHttpClient(this IServiceCollection services, VendorDefinition vendor, IConfiguration configuration)
    {
        _ = new VendorEndpoint(vendor, configuration);
        services.AddHttpClient(vendor.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => VendorHandler(sp.GetRequiredService<TelemetryOptions>().Otlp))
            // Vendor calls are logged once, by the call log, with the call id; the factory's per-request log scopes
            // and messages would cost on every call and say less.
            .RemoveAllLoggers();
        return services;
    }

    /// <summary>Applies migrations and seeds prices and the installers' seeders; run before the host serves.</summary>
    public static async Task InitializeDatabaseAsync(this IServiceProvider services, IConfiguration configuration, CancellationToken ct = default)
    {
        await services.GetRequiredService<Migrator>().MigrateAsync(ct);
        await services.GetRequiredService<PriceBook>().SeedAsync(configuration, ct);
        foreach (var seeder in services.GetServices<IStartupSeeder>()) await seeder.SeedAsync(configuration, ct);
    }

    /// <summary>In Development, a fresh database gets one demo user so the curl examples work at once.</summary>
    public static async Task SeedDemoUserAsync(this IServiceProvider services, ILogger logger, CancellationToken ct = default)
    {
        var db = services.GetRequiredService<Db>();
        await using var c = await db.OpenAsync(ct);
        if (await Dapper.SqlMapper.ExecuteScalarAsync<long>(c, "SELECT COUNT(*) FROM users") > 0) return;
        var user = await services.GetRequiredService<UserStore>().CreateAsync("demo", 100_000, ct: ct);
        logger.LogWarning("Development: created demo user {Username} with user_uuid {UserUuid} and {Balance} tokens", user.Username, user.Id, user.Balance);
    }
}
