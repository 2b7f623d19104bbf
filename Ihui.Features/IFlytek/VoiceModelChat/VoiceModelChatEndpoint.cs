using Carter;
using Ihui.Features.Common.Http;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.IFlytek.VoiceModelChat;

public sealed class VoiceModelChatEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost(VoiceModelChatRequest.Route,
                async (HttpRequest http, [FromHeader(Name = "uuid")] string? uuidHeader, [FromHeader(Name = "username")] string? usernameHeader,
                    [FromQuery(Name = "uuid")] string? uuid, [FromQuery(Name = "username")] string? username, ISender sender, CancellationToken ct) =>
                {
                    var audio = await BinaryBody.ReadAsync(http, VoiceModelChatRequest.MaxBytes, "audio", ct);
                    var result = await sender.Send(new VoiceModelChatRequest(audio)
                    {
                        Uuid = uuidHeader ?? uuid,
                        Username = usernameHeader ?? username,
                    }, ct);
                    return TypedResults.Ok(ModelReply.Ok("请求成功", result.Content, result.Receipt));
                })
            .WithTags("iFlytek")
            .WithSummary("语音识别模型接口 (seed 001/002): PCM body, uuid/username in headers or query")
            .Accepts<byte[]>("application/octet-stream", "audio/pcm", "audio/L16");
}
