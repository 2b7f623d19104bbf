using Ihui.Features.Common.Configuration;
using Ihui.Features.Common.Vendors.IFlytek;
using Ihui.Features.Common.Vendors.Jimeng;
using Ihui.Features.Common.Vendors.Kling;
using Ihui.Features.Common.Vendors.Suno;
using Microsoft.Extensions.Configuration;

namespace Ihui.Features.Common.Vendors;

/// <summary>The vendors' configured timeouts, for what must outlast any one vendor call (a hold's expiry).</summary>
public static class VendorTimeouts
{
    public static readonly IReadOnlyList<VendorDefinition> Definitions =
        [.. KnownVendors.All, SunoClient.Definition, KlingClient.Definition, JimengClient.Definition];

    /// <summary>The longest timeout configured for any vendor (each one's <c>&lt;VENDOR&gt;_TIMEOUT_SECONDS</c>, or its default).</summary>
    public static TimeSpan Longest(IConfiguration c)
    {
        var longest = IFlytekOptions.TimeoutFrom(c);
        foreach (var definition in Definitions)
        {
            var timeout = Setting.Seconds(c, definition.TimeoutVariable, definition.DefaultTimeoutSeconds, 3600);
            if (timeout > longest) longest = timeout;
        }
        return longest;
    }
}
