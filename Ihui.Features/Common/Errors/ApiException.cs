using Ihui.Features.Common.Security;

namespace Ihui.Features.Common.Errors;

/// <summary>
/// An error with a documented status. The host renders it in the route family's shape
/// (seed envelope or OpenAI error); <see cref="Code"/> is the OpenAI-style code string.
/// The message is scrubbed of secrets as it is made (it often carries what a vendor said), so every response,
/// frame, log line and call row built from it is clean.
/// </summary>
public class ApiException(int status, string code, string message) : Exception(SecretScrubber.Scrub(message))
{
    public int Status { get; } = status;
    public string Code { get; } = code;

    /// <summary>For a 429: how long until the caller may try again (sent as <c>Retry-After</c>).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// For a vendor's error answer: its HTTP status and its own error code (<c>error.code</c>, <c>code</c>…, when its body
    /// had one), so a caller that expects a particular refusal (a channel test's "no such task") can recognise it.
    /// </summary>
    public int? VendorStatus { get; init; }

    /// <inheritdoc cref="VendorStatus"/>
    public string? VendorCode { get; init; }

    public static ApiException BadRequest(string message, string code = "invalid_request_error") => new(400, code, message);
    public static ApiException InvalidModel(string model) => new(400, "invalid_model", $"model '{model}' is not available");
    public static ApiException Unauthorized(string message) => new(401, "unauthorized", message);
    public static ApiException InsufficientBalance(long needed) =>
        new(402, "insufficient_balance", $"insufficient token balance: this call needs up to {needed} tokens");
    public static ApiException Forbidden(string message) => new(403, "forbidden", message);
    public static ApiException NotFound(string message) => new(404, "not_found", message);
    public static ApiException VendorTimeout(string vendor) => new(408, "vendor_timeout", $"{vendor} did not answer in time");
    public static ApiException Conflict(string message) => new(409, "conflict", message);
    public static ApiException TooLarge(string message) => new(413, "payload_too_large", message);
    public static ApiException RateLimited(string message, TimeSpan? retryAfter = null) => new(429, "rate_limited", message) { RetryAfter = retryAfter };
    public static ApiException VendorError(string vendor, string message) => new(502, "vendor_error", $"{vendor}: {message}");
    /// <summary>The database could not be reached or was busy for a moment (a transient error): the caller may retry.</summary>
    public static ApiException DatabaseUnavailable() =>
        new(503, "database_unavailable", "the database is busy or unreachable for a moment; retry shortly") { RetryAfter = TimeSpan.FromSeconds(1) };

    public static ApiException VendorNotConfigured(string vendor, string variable) =>
        new(503, "vendor_not_configured", $"{vendor} is not configured: set {variable}");
}

/// <summary>Validation failures, rendered as 400 with one message per field.</summary>
public sealed class ValidationFailedException(IReadOnlyList<FieldError> errors)
    : ApiException(400, "invalid_request_error", string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}

/// <summary>
/// One field's failure. <see cref="Location"/> is where the field came from (<c>body</c>, <c>query</c>, <c>path</c>) and
/// <see cref="Type"/> a machine-readable kind (<c>missing</c>, <c>string_too_long</c>…); routes answering FastAPI's
/// 422 shape use both.
/// </summary>
public sealed record FieldError(string Field, string Message)
{
    public string Location { get; init; } = "body";
    public string? Type { get; init; }
}
