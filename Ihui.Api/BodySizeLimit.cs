using Ihui.Features.Common.Configuration;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Ihui.Api;

/// <summary>
/// Refuses a declared body over <c>MAX_REQUEST_BODY_BYTES</c> before anything reads it; Kestrel's own limit
/// (same value) catches undeclared (chunked) bodies while they are read. A route may name its own limit
/// (<see cref="IRequestSizeLimitMetadata"/>, e.g. an upload's).
/// </summary>
public static class BodySizeLimit
{
    public static IApplicationBuilder UseBodySizeLimit(this IApplicationBuilder app, GatewaySettings settings) =>
        app.Use(async (ctx, next) =>
        {
            var limit = ctx.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? settings.MaxRequestBodyBytes;
            if (ctx.Request.ContentLength > limit)
            {
                await ApiExceptionHandler.WriteAsync(ctx, 413, "payload_too_large", $"request body is too large (limit {limit} bytes)");
                return;
            }
            if (limit != settings.MaxRequestBodyBytes && ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
                feature.MaxRequestBodySize = limit;
            await next(ctx);
        });
}
