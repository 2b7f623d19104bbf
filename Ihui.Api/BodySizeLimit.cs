using Ihui.Features.Common.Configuration;

namespace Ihui.Api;

/// <summary>
/// Refuses a declared body over <c>MAX_REQUEST_BODY_BYTES</c> before anything reads it; Kestrel's own limit
/// (same value) catches undeclared (chunked) bodies while they are read.
/// </summary>
public static class BodySizeLimit
{
    public static IApplicationBuilder UseBodySizeLimit(this IApplicationBuilder app, GatewaySettings settings) =>
        app.Use(async (ctx, next) =>
        {
            if (ctx.Request.ContentLength > settings.MaxRequestBodyBytes)
            {
                await ApiExceptionHandler.WriteAsync(ctx, 413, "payload_too_large",
                    $"request body is too large (limit {settings.MaxRequestBodyBytes} bytes)");
                return;
            }
            await next(ctx);
        });
}
