using Ihui.Features.Common.Chat;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Chat.Sockets;
using Mediator;

namespace Ihui.Features.Chat.DoubaoStream;

/// <summary>Seed 000 WebSocket #1, 豆包流式对话: one chat turn.</summary>
public sealed record DoubaoStreamRequest(ChatTurn Turn) : ChatStreamRequest(Turn), IStreamRequest<ChatStreamChunk>, ILoggedCall
{
    public static string Route => "/cozeZhsApi/ws/doubao/streamDou";
    public static readonly ChatModelSetting UpstreamModel = new("DOUBAO_CHAT_MODEL", "doubao-seed-1-6-250615");
}
