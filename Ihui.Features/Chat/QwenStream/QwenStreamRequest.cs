using Ihui.Features.Common.Chat;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Chat.Sockets;
using Mediator;

namespace Ihui.Features.Chat.QwenStream;

/// <summary>Seed 000 WebSocket #2, 通义千问流式对话: one chat turn.</summary>
public sealed record QwenStreamRequest(ChatTurn Turn) : ChatStreamRequest(Turn), IStreamRequest<ChatStreamChunk>, ILoggedCall
{
    public static string Route => "/cozeZhsApi/ws/qwen/stream";
    public static readonly ChatModelSetting UpstreamModel = new("QWEN_CHAT_MODEL", "qwen-plus");
}
