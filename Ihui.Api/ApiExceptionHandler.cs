using System.Text.Json;
using System.Text.RegularExpressions;
using Ihui.Features.Common.Data;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Security;
using Ihui.Features.Common.Http;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;

namespace Ihui.Api;

/// <summary>
/// The one place errors become responses, in the shape of the route's family: the seed envelope <c>{"code":N,"msg":"…"}</c>;
/// OpenAI's error shape on <c>/v1</c>, <c>/llm</c> and <c>/ai</c>; FastAPI's <c>{"detail":…}</c> (422 for field errors) on
/// seed 003's <c>/api/v1</c>. Unexpected exceptions are logged with their stack and answered as a bare 500; nothing
/// internal leaves the process.
/// </summary>
public sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (DbErrors.IsTransient(exception))
        {
            logger.LogWarning("Transient database error on {Method} {Path}: {Error}", context.Request.Method, context.Request.Path,
                SecretScrubber.Scrub(exception.Message));
            exception = ApiException.DatabaseUnavailable();
        }
        var (status, code, message) = Describe(exception);
        if (status >= 500 && exception is not ApiException)
            logger.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
        if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested) return true;
        if (exception is ApiException { RetryAfter: { } retry })
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString();
        if (Envelope.UsesFastApiErrors(context.Request.Path))
        {
            await WriteFastApiAsync(context, exception, status, message);
            return true;
        }
        await WriteAsync(context, status, code, message);
        return true;
    }

    public static (int Status, string Code, string Message) Describe(Exception exception) => exception switch
    {
        ApiException api => (api.Status, api.Code, api.Message),
        _ when DbErrors.IsTransient(exception) => Describe(ApiException.DatabaseUnavailable()),
        BadHttpRequestException { InnerException: JsonException json } when IsInvalidText(json) =>
            (400, "invalid_json", $"malformed JSON at {TextPath(json)}: the text is not valid Unicode (a lone UTF-16 surrogate or invalid UTF-8)"),
        BadHttpRequestException { InnerException: JsonException json } =>
            (400, "invalid_json", json.Path is { Length: > 1 } path ? $"malformed JSON or wrong type at {path}" : "malformed JSON body"),
        BadHttpRequestException { StatusCode: 413 } => (413, "payload_too_large", "request body is too large"),
        BadHttpRequestException { StatusCode: 415 } => (415, "unsupported_media_type", "send the body as application/json"),
        BadHttpRequestException bad when IsMissingBody(bad) => (400, "invalid_json", "a JSON body is required"),
        BadHttpRequestException bad => (bad.StatusCode, "invalid_request_error", "bad request"),
        _ => (500, "internal_error", "internal server error"),
    };

    /// <summary>System.Text.Json reports a lone surrogate or invalid UTF-8 in a string as an InvalidOperationException inside.</summary>
    private static bool IsInvalidText(JsonException json) =>
        json is InvalidJsonTextException || json.InnerException is InvalidJsonTextException
        || json.InnerException is InvalidOperationException { Message: var m } && (m.Contains("UTF-16", StringComparison.Ordinal) || m.Contains("UTF-8", StringComparison.Ordinal));

    /// <summary>The body path of the bad text: the bound field's path, then where inside it (for a field kept as JSON).</summary>
    private static string TextPath(JsonException json) =>
        (json.Path ?? "$") + (json is InvalidJsonTextException { TextPath: var inner } && inner.Length > 1 ? inner[1..] : "");

    private static bool IsMissingBody(BadHttpRequestException bad) =>
        bad.Message.Contains("body was provided", StringComparison.OrdinalIgnoreCase)
        || bad.Message.Contains("request body", StringComparison.OrdinalIgnoreCase);

    public static Task WriteAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        if (Envelope.UsesFastApiErrors(context.Request.Path))
        {
            if (status == 401) context.Response.Headers.WWWAuthenticate = "Bearer";
            return context.Response.WriteAsJsonAsync(new FastApiError(message));
        }
        return Envelope.UsesOpenAiErrors(context.Request.Path)
            ? context.Response.WriteAsJsonAsync(new OpenAiError(new OpenAiErrorBody(code, message, status >= 500 ? "server_error" : "invalid_request_error")))
            : context.Response.WriteAsJsonAsync(new ErrorEnvelope(status, message));
    }

    /// <summary>FastAPI's answers: a 422 list of field errors (<c>type</c>, <c>loc</c>, <c>msg</c>) or <c>{"detail":"…"}</c>.</summary>
    private static Task WriteFastApiAsync(HttpContext context, Exception exception, int status, string message)
    {
        List<FastApiFieldError>? fields = exception switch
        {
            ValidationFailedException v => v.Errors.Select(e => new FastApiFieldError(FastApiType(e.Type), Loc(e.Location, e.Field), e.Message)).ToList(),
            BadHttpRequestException { InnerException: JsonException json } =>
                [new FastApiFieldError("json_invalid", Loc("body", json.Path is { Length: > 1 } p ? p.TrimStart('$', '.') : ""), message)],
            BadHttpRequestException bad when IsMissingBody(bad) => [new FastApiFieldError("missing", ["body"], "Field required")],
            BadHttpRequestException { StatusCode: 400 } => [new FastApiFieldError("value_error", ["request"], message)],
            _ => null,
        };
        if (fields is not null)
        {
            context.Response.StatusCode = 422;
            return context.Response.WriteAsJsonAsync(new FastApiError(fields));
        }
        if (status >= 500 && exception is not ApiException)
        {
            // The seed's 500s read "Failed to <what the route does>: …"; the route's summary says what it does.
            var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();
            var summary = endpoint?.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary;
            message = summary is { Length: > 0 } ? $"Failed to {char.ToLowerInvariant(summary[0])}{summary[1..]}: internal server error" : "Internal Server Error";
        }
        return WriteAsync(context, status, "", message);
    }

    private static string FastApiType(string? code) => code switch
    {
        null or "" => "value_error",
        "NotEmptyValidator" or "NotNullValidator" => "missing",
        "MaximumLengthValidator" => "string_too_long",
        "MinimumLengthValidator" => "string_too_short",
        "RegularExpressionValidator" => "string_pattern_mismatch",
        _ when code.EndsWith("Validator", StringComparison.Ordinal) => "value_error",
        _ => code,
    };

    /// <summary><c>opening_messages[0].content</c> → <c>["body", "opening_messages", 0, "content"]</c>.</summary>
    private static List<object> Loc(string location, string field)
    {
        var loc = new List<object> { location };
        foreach (Match m in FieldPart().Matches(field))
            loc.Add(m.Groups[1].Success ? m.Groups[1].Value : int.Parse(m.Groups[2].Value));
        return loc;
    }

    [GeneratedRegex(@"([^.\[\]]+)|\[(\d{1,9})\]")]
    private static partial Regex FieldPart();

    /// <summary>Bodiless statuses (unknown route, wrong method) get the same shape.</summary>
    public static Task WriteStatusCodePageAsync(StatusCodeContext ctx)
    {
        var status = ctx.HttpContext.Response.StatusCode;
        if (Envelope.UsesFastApiErrors(ctx.HttpContext.Request.Path))
            return WriteAsync(ctx.HttpContext, status, "", status switch
            {
                404 => "Not Found", 405 => "Method Not Allowed", 415 => "Unsupported Media Type", _ => $"HTTP {status}",
            });
        var message = status switch
        {
            404 => "no such route",
            405 => "method not allowed on this route",
            _ => $"HTTP {status}",
        };
        return WriteAsync(ctx.HttpContext, status, status == 404 ? "not_found" : "http_error", message);
    }
}
