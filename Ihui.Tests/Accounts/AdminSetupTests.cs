using System.Net;
using System.Net.Http.Json;
using Ihui.Api;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Security;
using Ihui.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Ihui.Tests.Accounts;

public sealed class AdminSetupTests(AccountsApp app) : IClassFixture<AccountsApp>
{
    private sealed class Env(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "Ihui.Api";
        public string ContentRootPath { get; set; } = "/";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    private static IConfiguration Config(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [Fact]
    public void A_short_or_missing_key_disables_admin_tokens_outside_development_and_is_ephemeral_in_development()
    {
        Assert.False(AdminJwtOptions.From(Config(), new Env("Production")).Configured);
        Assert.False(AdminJwtOptions.From(Config(("ADMIN_JWT_SECRET", "short")), new Env("Production")).Configured);

        var dev = AdminJwtOptions.From(Config(), new Env("Development"));
        Assert.True(dev is { Configured: true, Ephemeral: true });
        Assert.Equal(64, dev.SigningKey!.Length);

        var configured = AdminJwtOptions.From(Config(("ADMIN_JWT_SECRET", AccountsApp.JwtSecret), ("ADMIN_ACCESS_TOKEN_SECONDS", "60")), new Env("Production"));
        Assert.True(configured is { Configured: true, Ephemeral: false });
        Assert.Equal(TimeSpan.FromSeconds(60), configured.AccessLifetime);
    }

    [Fact]
    public async Task Access_tokens_expire_after_their_configured_lifetime_and_refresh_tokens_outlive_them()
    {
        var options = app.JwtOptions;
        var root = (await app.Admins.FindByNameAsync(AccountsApp.RootAdmin))!;
        var clockAtIssue = new ShiftedClock(-(options.AccessLifetime + TimeSpan.FromMinutes(1)));
        var issuer = new AdminTokens(options, clockAtIssue);
        var checker = new AdminTokens(options, TimeProvider.System);
        Assert.Null(await checker.ValidateAsync(issuer.Issue(root, TokenUse.Access), TokenUse.Access));
        Assert.NotNull(await checker.ValidateAsync(issuer.Issue(root, TokenUse.Refresh), TokenUse.Refresh));
    }

    [Fact]
    public async Task The_first_admin_comes_from_configuration_and_create_admin_adds_more()
    {
        Assert.NotNull(await app.Admins.FindByNameAsync(AccountsApp.RootAdmin));

        var name = AccountsApp.Unique("ops");
        var configuration = app.Services.GetRequiredService<IConfiguration>(); // ADMIN_PASSWORD is set in this fixture
        Assert.Equal(0, await AdminCli.RunAsync(app.Services, configuration, ["create-admin", name]));
        Assert.Equal(HttpStatusCode.OK,
            (await app.CreateClient().PostAsJsonAsync("/admin/login", new { admin = name, password = AccountsApp.RootPassword })).StatusCode);
        Assert.Equal(1, await AdminCli.RunAsync(app.Services, configuration, ["create-admin", name]));
        Assert.Equal(1, await AdminCli.RunAsync(app.Services, configuration, ["create-admin", "bad name"]));
        Assert.Equal(1, await AdminCli.RunAsync(app.Services, configuration, ["create-admin"]));
    }

    [Fact]
    public void Password_hashes_are_salted_and_verify_only_the_right_password()
    {
        var a = PasswordHashing.Hash("Same-pass-1");
        var b = PasswordHashing.Hash("Same-pass-1");
        Assert.NotEqual(a, b);
        Assert.True(PasswordHashing.Verify(a, "Same-pass-1"));
        Assert.False(PasswordHashing.Verify(a, "Same-pass-2"));
        Assert.False(PasswordHashing.Verify(null, "Same-pass-1"));
        Assert.False(PasswordHashing.Verify("5f4dcc3b5aa765d61d8327deb882cf99", "password")); // an MD5 hex is never accepted
    }
}

/// <summary>A weak ADMIN_PASSWORD does not create an admin.</summary>
public sealed class WeakBootstrapApp : IhuiApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
        [new("ADMIN_JWT_SECRET", AccountsApp.JwtSecret), new("ADMIN_USERNAME", "root"), new("ADMIN_PASSWORD", "123")];
}

public sealed class WeakBootstrapTests(WeakBootstrapApp app) : IClassFixture<WeakBootstrapApp>
{
    [Fact]
    public async Task No_admin_is_created_and_login_is_refused()
    {
        Assert.Equal(0, await app.Services.GetRequiredService<AdminStore>().CountAsync());
        Assert.Equal(HttpStatusCode.BadRequest,
            (await app.CreateClient().PostAsJsonAsync("/admin/login", new { admin = "root", password = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await app.CreateClient().PostAsJsonAsync("/admin/login", new { admin = "root", password = "123" })).StatusCode);
    }
}
