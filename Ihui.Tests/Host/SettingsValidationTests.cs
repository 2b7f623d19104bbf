using Ihui.Features.Common.Configuration;
using Ihui.Features.Common.Hosting;
using Ihui.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ihui.Tests.Host;

/// <summary>
/// Every setting is read and checked while the services are registered: a value the gateway cannot use stops the
/// start with one line naming the variable and what it accepts, instead of a silent default.
/// </summary>
public sealed class SettingsValidationTests
{
    private static void Register(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value)).Build();
        new ServiceCollection().AddIhuiCore(configuration);
    }

    [Theory]
    [InlineData("TOKEN_BASE_MULTIPLIER", "abc")]
    [InlineData("TOKEN_BASE_MULTIPLIER", "-1")]
    [InlineData("TOKEN_BASE_MULTIPLIER", "2,5")]
    [InlineData("BILLING_ALLOW_NEGATIVE", "yes")]
    [InlineData("BILLING_HOLD_TIMEOUT_SECONDS", "0")]
    [InlineData("BILLING_HOLD_TIMEOUT_SECONDS", "two hours")]
    [InlineData("MAX_REQUEST_BODY_BYTES", "-5")]
    [InlineData("DEFAULT_MAX_OUTPUT_TOKENS", "1.5")]
    [InlineData("DASHSCOPE_TIMEOUT_SECONDS", "abc")]
    [InlineData("DASHSCOPE_TIMEOUT_SECONDS", "-3")]
    [InlineData("DASHSCOPE_BASE_URL", "dashscope.aliyuncs.com")]
    [InlineData("GEMINI_BASE_URL", "ftp://example.com")]
    [InlineData("KLING_TIMEOUT_SECONDS", "soon")]
    [InlineData("SUNO_BASE_URL", "not a url")]
    [InlineData("WS_IDLE_TIMEOUT_SECONDS", "abc")]
    [InlineData("WS_MAX_FRAME_BYTES", "-1")]
    [InlineData("CHAT_HISTORY_MAX_TURNS", "ten")]
    [InlineData("TASK_WAIT_SECONDS", "-1")]
    [InlineData("TASK_POLLER_ENABLED", "off")]
    [InlineData("TASK_BATCH_SIZE", "0")]
    [InlineData("LOGIN_MAX_FAILURES", "0")]
    [InlineData("LOGIN_LOCKOUT_SECONDS", "x")]
    [InlineData("NEW_USER_TOKENS", "-100")]
    [InlineData("ADMIN_ACCESS_TOKEN_SECONDS", "forever")]
    [InlineData("XFYUN_TIMEOUT_SECONDS", "abc")]
    [InlineData("XFYUN_IAT_WPGS", "maybe")]
    [InlineData("XFYUN_IAT_URL", "iat-api.xfyun.cn/v2/iat")]
    [InlineData("DB_PORT", "abc")]
    [InlineData("DB_POOL_SIZE", "0")]
    [InlineData("DB_WRITE_POOL_SIZE", "many")]
    [InlineData("DB_CONNECT_TIMEOUT_SECONDS", "-1")]
    [InlineData("SQLITE_BUSY_TIMEOUT_MS", "0")]
    [InlineData("SQLITE_WAL_LIMIT_MB", "0")]
    [InlineData("LUYALA_VIDEO_SECONDS", "9999")]
    [InlineData("STOCK_ANALYSIS_VENDOR", "openai")]
    [InlineData("Prices:qwen-plus:Per1KIn", "cheap")]
    [InlineData("Prices:qwen-plus:PerCall", "-1")]
    [InlineData("Models:qwen-plus:Enabled", "yes")]
    [InlineData("RATE_LIMIT_REQUESTS", "lots")]
    [InlineData("RATE_LIMIT_WINDOW_SECONDS", "0")]
    [InlineData("RATE_LIMIT_USER_RPM", "-1")]
    [InlineData("RATE_LIMIT_USER_CONCURRENCY", "many")]
    [InlineData("RATE_LIMIT_KEY_RPM", "1.5")]
    [InlineData("RATE_LIMIT_KEY_CONCURRENCY", "100001")]
    [InlineData("RATE_LIMIT_LEASE_SECONDS", "1")]
    [InlineData("PASSWORD_HASH_CONCURRENCY", "0")]
    [InlineData("PASSWORD_HASH_WAIT_SECONDS", "61")]
    [InlineData("WALLET_SIGNUP_GRANT", "-1")]
    [InlineData("WALLET_CHAIN_ID", "mainnet")]
    [InlineData("WALLET_NONCE_TTL_SECONDS", "5")]
    [InlineData("WALLET_LOGIN_URI", "not a uri")]
    [InlineData("STORY_EDITOR_WALLETS", "0x123")]
    [InlineData("PUBLIC_BASE_URL", "ftp://example.com")]
    public void A_value_the_gateway_cannot_use_stops_the_start_naming_the_variable(string variable, string value)
    {
        var e = Assert.Throws<InvalidSettingException>(() => Register((variable, value)));
        Assert.Equal(variable, e.Variable);
        Assert.StartsWith(variable, e.Message);
        Assert.Contains("expected", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Defaults_and_usable_values_start()
    {
        Register();
        Register(("TOKEN_BASE_MULTIPLIER", "1.5"), ("BILLING_ALLOW_NEGATIVE", "TRUE"), ("BILLING_HOLD_TIMEOUT_SECONDS", "600"),
            ("DASHSCOPE_TIMEOUT_SECONDS", "0.5"), ("DASHSCOPE_BASE_URL", "http://127.0.0.1:9000/"), ("TASK_POLLER_ENABLED", "0"),
            ("XFYUN_IAT_WPGS", "false"), ("TASK_WAIT_SECONDS", "0"), ("Prices:x:Per1KIn", "0.25"), ("STOCK_ANALYSIS_VENDOR", "DeepSeek"));
        var c = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TOKEN_BASE_MULTIPLIER"] = "1.5", ["BILLING_ALLOW_NEGATIVE"] = "TRUE",
        }).Build();
        var settings = GatewaySettings.From(c);
        Assert.Equal((1.5m, true), (settings.TokenBaseMultiplier, settings.AllowNegativeBalance));
    }

    [Theory]
    [InlineData("TOKEN_BASE_MULTIPLIER", "abc", "TOKEN_BASE_MULTIPLIER=abc: expected a number from 0 to 1000")]
    [InlineData("BILLING_ALLOW_NEGATIVE", "yes", "BILLING_ALLOW_NEGATIVE=yes: expected true or false")]
    [InlineData("API_PORT", "http", "API_PORT=http: expected a whole number from 0 to 65535")]
    [InlineData("CORS_ALLOW_CREDENTIALS", "sometimes", "CORS_ALLOW_CREDENTIALS=sometimes: expected true or false")]
    [InlineData("RATE_LIMIT_KEY_RPM", "fast", "RATE_LIMIT_KEY_RPM=fast: expected a whole number from 0 to 1000000")]
    public async Task The_host_refuses_to_start_with_one_line_on_standard_error(string variable, string value, string line)
    {
        var result = await ApiProcess.RunAsync(new Dictionary<string, string> { [variable] = value }, []);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal([line], result.ErrLines);
        Assert.DoesNotContain("   at ", result.StdOut + result.StdErr);
    }
}
