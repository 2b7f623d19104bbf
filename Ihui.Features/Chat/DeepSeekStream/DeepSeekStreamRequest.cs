using Ihui.Features.Common.Chat;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Chat.Sockets;
using Mediator;

namespace Ihui.Features.Chat.DeepSeekStream;

/// <summary>Seed 000 WebSocket #5, DeepSeek 流式对话: one chat turn.</summary>
public sealed record DeepSeekStreamRequest(ChatTurn Turn) : ChatStreamRequest(Turn), IStreamRequest<ChatStreamChunk>, ILoggedCall
{
    public static string Route => "/cozeZhsApi/ws/chatdeepseek/stream";
    public static readonly ChatModelSetting UpstreamModel = new("DEEPSEEK_CHAT_MODEL", "deepseek-chat");
}
