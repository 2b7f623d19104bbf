namespace Ihui.Features.Common.Vendors.OpenAiCompatible;

/// <summary>
/// Supplies the bearer credential for a vendor that does not take its API key as-is (Zhipu's JWT form).
/// Vendors without a provider send <c>Bearer &lt;key&gt;</c>.
/// </summary>
public interface IBearerTokenProvider
{
    string VendorName { get; }
    string TokenFor(VendorEndpoint vendor);
}
