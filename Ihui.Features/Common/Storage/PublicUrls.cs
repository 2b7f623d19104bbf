using Microsoft.AspNetCore.Http;

namespace Ihui.Features.Common.Storage;

/// <summary>
/// The absolute URL a client is given for a stored file: the store's own URL when it has one, else Ihui's route for it
/// (e.g. <c>/api/v1/images/</c>) under <c>PUBLIC_BASE_URL</c>, or under the current request's scheme and host.
/// </summary>
public sealed class PublicUrls(IObjectStore store, StorageOptions options, IHttpContextAccessor http)
{
    /// <param name="routePrefix">Ihui's route serving the file, ending in "/", e.g. "/api/v1/images/"</param>
    /// <param name="name">the stored file's name</param>
    /// <param name="origin">the origin to use when PUBLIC_BASE_URL is not set (default: the current request's)</param>
    public Uri For(string routePrefix, string name, Uri? origin = null)
    {
        if (store.DirectUrl(name) is { } direct) return direct;
        var path = routePrefix + Uri.EscapeDataString(name);
        var root = options.PublicBaseUrl ?? origin ?? RequestOrigin(http.HttpContext?.Request);
        // Outside a request and with no PUBLIC_BASE_URL there is no origin to give: the path alone.
        return root is null ? new Uri(path, UriKind.Relative) : new Uri(root, root.AbsolutePath.TrimEnd('/') + path);
    }

    /// <summary>The scheme, host and path base a request came in on (what the client used to reach Ihui).</summary>
    public static Uri? RequestOrigin(HttpRequest? request) =>
        request is null || !request.Host.HasValue ? null
        : Uri.TryCreate($"{request.Scheme}://{request.Host}{request.PathBase}/", UriKind.Absolute, out var uri) ? uri : null;
}
