using Ihui.Features.Common.Configuration;
using Ihui.Features.Common.Redis;
using Microsoft.Extensions.Configuration;
using StackExchange.Redis;

namespace Ihui.Tests.Operations;

public sealed class RedisOptionsTests
{
    private static RedisOptions From(params (string Key, string Value)[] settings) =>
        RedisOptions.From(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void Without_REDIS_URL_nothing_is_shared()
    {
        var options = From();
        Assert.False(options.Enabled);
        Assert.Equal("ihui:", options.KeyPrefix);
    }

    [Fact]
    public void A_redis_url_gives_host_port_credentials_database_and_tls()
    {
        var options = From(("REDIS_URL", "rediss://ops:p%40ss@cache.example.com:6380/3"), ("REDIS_KEY_PREFIX", "prod:"));
        var c = options.Configuration!;
        Assert.Equal("cache.example.com:6380", Assert.Single(c.EndPoints).ToString()!.Replace("Unspecified/", ""));
        Assert.Equal(("ops", "p@ss", 3, true), (c.User, c.Password, c.DefaultDatabase, c.Ssl));
        Assert.False(c.AbortOnConnectFail);
        Assert.Equal("prod:", options.KeyPrefix);

        var plain = From(("REDIS_URL", "redis://127.0.0.1")).Configuration!;
        Assert.Equal((null, null, false), (plain.Password, plain.DefaultDatabase, plain.Ssl));
        Assert.Contains(":6379", Assert.Single(plain.EndPoints).ToString());
    }

    [Fact]
    public void A_configuration_string_is_taken_as_StackExchange_Redis_reads_it()
    {
        var c = From(("REDIS_URL", "10.0.0.5:7000,password=secret,defaultDatabase=2")).Configuration!;
        Assert.Equal(("secret", 2), (c.Password, c.DefaultDatabase));
    }

    [Theory]
    [InlineData("redis://user:hunter2@/0")]
    [InlineData("redis://user:hunter2@host:6379/notanumber")]
    public void A_bad_url_stops_the_start_without_repeating_the_password(string url)
    {
        var e = Assert.Throws<InvalidSettingException>(() => From(("REDIS_URL", url)));
        Assert.Equal("REDIS_URL", e.Variable);
        Assert.DoesNotContain("hunter2", e.Message);
    }

    [Fact]
    public void A_prefix_with_spaces_is_refused()
    {
        Assert.Throws<InvalidSettingException>(() => From(("REDIS_KEY_PREFIX", "my prefix")));
    }
}
