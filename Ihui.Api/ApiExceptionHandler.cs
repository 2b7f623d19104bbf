using System.Text.Json;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Http;
using Microsoft.AspNetCore.Diagnostics;

namespace Ihui.Api;

/// <summary>
/// The one place errors become responses: the seed envelope <c>{"code":N,"msg":"…"}</c>, or OpenAI's error shape
/// on <c>/v1</c>, <c>/llm</c> and <c>/ai</c>. Unexpected exceptions are logged with their stack and answered
/// as a bare 500; nothing internal leaves the process.
/// </summary>
public sealed class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, message) = Describe(exception);
        if (status >= 500 && exception is not ApiException)
            logger.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
        if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested) return true;
        await WriteAsync(context, status, code, message);
        return true;
    }

    public static (int Status, string Code, string Message) Describe(Exception exception) => exception switch
    {
        ApiException api => (api.Status, api.Code, api.Message),
        BadHttpRequestException { InnerException: JsonException json } when IsInvalidText(json) =>
            (400, "invalid_json", $"malformed JSON at {TextPath(json)}: the text is not valid Unicode (a lone UTF-16 surrogate or invalid UTF-8)"),
        BadHttpRequestException { InnerException: JsonException json } =>
            (400, "invalid_json", json.Path is { Length: > 1 } path ? $"malformed JSON or wrong type at {path}" : "malformed JSON body"),
        BadHttpRequestException { StatusCode: 413 } => (413, "payload_too_large", "request body is too large"),
        BadHttpRequestException { StatusCode: 415 } => (415, "unsupported_media_type", "send the body as application/json"),
        BadHttpRequestException bad when bad.Message.Contains("body was provided", StringComparison.OrdinalIgnoreCase)
            || bad.Message.Contains("request body", StringComparison.OrdinalIgnoreCase) => (400, "invalid_json", "a JSON body is required"),
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

    public static Task WriteAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        return Envelope.UsesOpenAiErrors(context.Request.Path)
            ? context.Response.WriteAsJsonAsync(new OpenAiError(new OpenAiErrorBody(code, message, status >= 500 ? "server_error" : "invalid_request_error")))
            : context.Response.WriteAsJsonAsync(new ErrorEnvelope(status, message));
    }

    /// <summary>Bodiless statuses (unknown route, wrong method) get the same shape.</summary>
    public static Task WriteStatusCodePageAsync(StatusCodeContext ctx)
    {
        var status = ctx.HttpContext.Response.StatusCode;
        var message = status switch
        {
            404 => "no such route",
            405 => "method not allowed on this route",
            _ => $"HTTP {status}",
        };
        return WriteAsync(ctx.HttpContext, status, status == 404 ? "not_found" : "http_error", message);
    }
}
