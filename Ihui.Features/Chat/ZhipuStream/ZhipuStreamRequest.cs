using Ihui.Features.Common.Chat;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Chat.Sockets;
using Mediator;

namespace Ihui.Features.Chat.ZhipuStream;

/// <summary>Seed 000 WebSocket #4, 智谱流式对话: one chat turn.</summary>
public sealed record ZhipuStreamRequest(ChatTurn Turn) : ChatStreamRequest(Turn), IStreamRequest<ChatStreamChunk>, ILoggedCall
{
    public static string Route => "/cozeZhsApi/ws/zhipu/stream";
    public static readonly ChatModelSetting UpstreamModel = new("GLM_CHAT_MODEL", "glm-4-plus");
}
