using Ihui.Features.Common.Errors;

namespace Ihui.Features.Common.Vendors.IFlytek;

/// <summary>Maps iFlytek's business codes (<c>header.code</c> / <c>code</c> ≠ 0) to the gateway's errors.</summary>
public static class IFlytekErrors
{
    public static ApiException Map(int code, string? message)
    {
        var detail = message is { Length: > 200 } ? message[..200] : message;
        return code switch
        {
            // Content review refused the input or the output.
            10013 or 10014 or 10015 or 10019 => ApiException.BadRequest($"iflytek refused the content (code {code}): {detail}", "content_filtered"),
            // Parameter and audio/image format errors: the caller's input.
            10160 or 10161 or 10163 or 10165 or 10907 or 10110 => ApiException.BadRequest($"iflytek rejected the request (code {code}): {detail}"),
            11202 or 11203 or 10700 => ApiException.RateLimited($"iflytek is rate limiting (code {code}): {detail}"),
            11200 or 11201 or 10105 or 10106 => ApiException.VendorError(IFlytekOptions.Vendor,
                $"refused the gateway's app (code {code}: {detail}); check XFYUN_APP_ID and the app's licence and quota"),
            _ => ApiException.VendorError(IFlytekOptions.Vendor, $"error {code}: {detail}"),
        };
    }

    public static ApiException Handshake(int status) => status switch
    {
        401 or 403 => ApiException.VendorError(IFlytekOptions.Vendor,
            $"refused the signature (HTTP {status}); check {IFlytekOptions.ApiKeyVariable}, {IFlytekOptions.ApiSecretVariable} and the server clock"),
        429 => ApiException.RateLimited("iflytek is rate limiting"),
        408 or 504 => ApiException.VendorTimeout(IFlytekOptions.Vendor),
        0 => ApiException.VendorError(IFlytekOptions.Vendor, "unreachable"),
        _ => ApiException.VendorError(IFlytekOptions.Vendor, $"handshake failed with HTTP {status}"),
    };
}
