using System.Text.Json;
using System.Text.Json.Serialization;
using Carter;
using Ihui.Api;
using Ihui.Features;
using Ihui.Features.Common.Configuration;
using Ihui.Features.Common.Hosting;
using Ihui.Features.Common.Limits;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Common.Telemetry;
using Ihui.Features.Common.Wallet;
using Microsoft.Net.Http.Headers;
using Serilog;

// appsettings.json ships next to the binary; .env and the SQLite file belong to the working directory.
// The slim builder leaves out what Ihui does not serve (IIS, HTTP/3, hosting-startup assemblies), which would otherwise
// be loaded and kept mapped in every instance; Kestrel's HTTPS endpoints from configuration are kept.
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.WebHost.UseKestrelHttpsConfiguration();
builder.Configuration.AddDotEnvBelowEnvironment(DotEnvConfigurationExtensions.Find(Directory.GetCurrentDirectory()));

// Serilog is the only writer: the default console provider would write every event a second time. Other providers
// registered later (the tests' log capture) still get every event through writeToProviders.
builder.Logging.ClearProviders();
builder.Services.AddSerilog((services, log) => log
    // The sinks a configuration may name are given, not found by opening every DLL next to the binary.
    .ReadFrom.Configuration(builder.Configuration, new Serilog.Settings.Configuration.ConfigurationReaderOptions(
        typeof(ConsoleLoggerConfigurationExtensions).Assembly, typeof(FileLoggerConfigurationExtensions).Assembly))
    .Enrich.FromLogContext()
    // Last enricher: vendors' words in a log line are scrubbed of credentials like everything else (see SecretScrubber).
    .Enrich.With<SecretScrubbingEnricher>()
    .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
    // HttpClient logs full request URIs; vendor URLs can carry signatures, so keep them out of the log.
    .MinimumLevel.Override("System.Net.Http.HttpClient", Serilog.Events.LogEventLevel.Warning)
    .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj} {Properties:j}{NewLine}{Exception}"),
    preserveStaticLogger: true,
    writeToProviders: true);

GatewaySettings settings;
try
{
    // Every setting is read and checked here (the installers' options included), before anything is served.
    settings = GatewaySettings.From(builder.Configuration);
    var (host, port) = (Setting.Text(builder.Configuration, "API_HOST", "0.0.0.0"), Setting.Int(builder.Configuration, "API_PORT", 8000, 0, 65535));
    if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        builder.WebHost.UseUrls($"http://{host}:{port}");
    CorsSetup.AllowCredentials(builder.Configuration);
    builder.Services.AddIhuiCore(builder.Configuration);
}
catch (InvalidSettingException e)
{
    // One line naming the variable and what it accepts; no stack trace.
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
}
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes);

builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
    o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
    // Body fields kept as JSON (message content, custom parameters) get the same Unicode check as text fields.
    o.SerializerOptions.Converters.Add(new Ihui.Features.Common.Http.StrictJsonElementConverter());
});
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ApiExceptionHandler>();
builder.Services.AddCors(o => o.AddDefaultPolicy(p => CorsSetup.Apply(p, builder.Configuration)));
builder.Services.AddOpenApi();
builder.Services.AddCarter(configurator: c => c.WithModules(typeof(FeaturesAssembly).Assembly.GetTypes()
    .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICarterModule).IsAssignableFrom(t)).ToArray()));

builder.Services.AddMediator(options =>
{
    // Transient: handlers and behaviours hold no state of their own (what a call shares, CallContext and the caller,
    // is scoped), and a scope records every scoped instance it hands out: a dozen entries a call, most of the
    // dictionary growth that was a tenth of what a chat call allocated.
    options.ServiceLifetime = ServiceLifetime.Transient;
    options.Assemblies = [typeof(FeaturesAssembly)];
    // Order matters: the first listed is the outermost. Each behaviour picks its requests by marker interface.
    options.PipelineBehaviors =
    [
        typeof(CallLogBehaviour<,>),
        typeof(AuthBehaviour<,>),
        typeof(RateLimitBehaviour<,>),
        typeof(PlatformEditorBehaviour<,>),
        typeof(ValidationBehaviour<,>),
        typeof(BillingBehaviour<,>),
        typeof(PicTimesBehaviour<,>),
    ];
    options.StreamPipelineBehaviors =
    [
        typeof(CallLogStreamBehaviour<,>),
        typeof(AuthStreamBehaviour<,>),
        typeof(RateLimitStreamBehaviour<,>),
        typeof(ValidationStreamBehaviour<,>),
        typeof(BillingStreamBehaviour<,>),
    ];
});

var app = builder.Build();

if (args.Length > 0 && AdminCli.Handles(args[0]))
    return await AdminCli.RunAsync(app.Services, builder.Configuration, args);

await app.Services.InitializeDatabaseAsync(builder.Configuration);
if (app.Environment.IsDevelopment())
    await app.Services.SeedDemoUserAsync(app.Logger);

// The request line goes to the host's logger (the static one is silent: preserveStaticLogger).
app.UseSerilogRequestLogging(o => o.Logger = app.Services.GetRequiredService<Serilog.ILogger>());
app.UseExceptionHandler();
app.UseStatusCodePages(ApiExceptionHandler.WriteStatusCodePageAsync);
app.UseBodySizeLimit(settings);
// CORS only acts on requests that carry an Origin, and the WebSocket middleware only on upgrades (HTTP/1.1's Upgrade,
// HTTP/2's CONNECT); for every other request each was ~5–12 µs of a stream's first token from cold caches.
app.UseWhen(ctx => ctx.Request.Headers.ContainsKey(HeaderNames.Origin), cors => cors.UseCors());
app.UseWhen(ctx => ctx.Request.Headers.ContainsKey(HeaderNames.Upgrade) || HttpMethods.IsConnect(ctx.Request.Method),
    sockets => sockets.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) }));
app.UseIhuiTelemetry(); // after UseWebSockets: it counts the sockets that middleware accepts
app.MapOpenApi();
app.MapCarter();

app.Run();
return 0;

public partial class Program;
