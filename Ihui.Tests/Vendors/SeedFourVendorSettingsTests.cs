using Ihui.Features.Common.Configuration;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Vendors;
using Microsoft.Extensions.Configuration;

namespace Ihui.Tests.Vendors;

/// <summary>Seed 004's <c>.env</c> names DashScope <c>QWEN_API_KEY</c> and <c>QWEN_API_CHAT_URL</c>: Ihui reads them unchanged.</summary>
public sealed class SeedFourVendorSettingsTests
{
    private static VendorEndpoint DashScope(params (string Key, string Value)[] settings) =>
        new(KnownVendors.DashScope, new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void Seed_004s_key_and_chat_url_are_used_when_Ihuis_own_names_are_unset()
    {
        var vendor = DashScope(("QWEN_API_KEY", "sk-seed-four"), ("QWEN_API_CHAT_URL", "https://qwen.example/custom/v1/chat/completions"));
        Assert.True(vendor.IsConfigured);
        Assert.Equal("sk-seed-four", vendor.RequireKey());
        Assert.Equal(new Uri("https://qwen.example/custom/v1/chat/completions"), vendor.ChatCompletionsUrl);
    }

    [Fact]
    public void Ihuis_own_key_wins_and_the_chat_url_defaults_to_the_base_url_and_compatible_path()
    {
        var vendor = DashScope(("DASHSCOPE_API_KEY", "sk-own"), ("QWEN_API_KEY", "sk-seed-four"), ("DASHSCOPE_BASE_URL", "http://127.0.0.1:9/base"));
        Assert.Equal("sk-own", vendor.RequireKey());
        Assert.Equal(new Uri("http://127.0.0.1:9/base/compatible-mode/v1/chat/completions"), vendor.ChatCompletionsUrl);
    }

    [Fact]
    public void Without_either_key_the_vendor_is_a_503_naming_Ihuis_variable()
    {
        var e = Assert.Throws<ApiException>(() => DashScope().RequireKey());
        Assert.Equal(503, e.Status);
        Assert.Contains("DASHSCOPE_API_KEY", e.Message);
    }

    [Fact]
    public void A_chat_url_that_is_not_http_stops_the_start_naming_the_variable()
    {
        var e = Assert.Throws<InvalidSettingException>(() => DashScope(("QWEN_API_CHAT_URL", "ftp://qwen.example/chat")));
        Assert.Contains("QWEN_API_CHAT_URL", e.Message);
    }
}
