using Ihui.Features.Common.Pipeline;
using Mediator;
using Microsoft.AspNetCore.Http;

namespace Ihui.Features.Luyala.LuyalaVideoContent;

/// <summary>The MP4 of one of the caller's finished Luyala video tasks, streamed from the vendor with Ihui's key.</summary>
public sealed record LuyalaVideoContentRequest(string TaskId, string? UserUuid) : IRequest<LuyalaVideoContent>, IUserUuidRequest
{
    public const string Route = "/cozeZhsApi/luyala/video/{task_id}/content";

    /// <summary>The absolute address of this route for a task, as handed to the client in <c>video_url</c>.</summary>
    public static string UrlFor(HttpRequest request, string taskId, string userUuid) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}/cozeZhsApi/luyala/video/{Uri.EscapeDataString(taskId)}/content?user_uuid={Uri.EscapeDataString(userUuid)}";
}

/// <summary>An open vendor response; whoever writes it to the client disposes it.</summary>
public sealed record LuyalaVideoContent(HttpResponseMessage Response, Stream Body, string ContentType, long? Length) : IDisposable
{
    public void Dispose()
    {
        Body.Dispose();
        Response.Dispose();
    }
}
