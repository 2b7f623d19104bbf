using Ihui.Features.Common.Chat;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Chat.Sockets;
using Mediator;

namespace Ihui.Features.Chat.QwenOmniStream;

/// <summary>Seed 000 WebSocket #3, 通义千问 Omni 流式对话: one chat turn.</summary>
public sealed record QwenOmniStreamRequest(ChatTurn Turn) : ChatStreamRequest(Turn), IStreamRequest<ChatStreamChunk>, ILoggedCall
{
    public static string Route => "/cozeZhsApi/ws/chatomni/stream";
    public static readonly ChatModelSetting UpstreamModel = new("QWEN_OMNI_MODEL", "qwen-omni-turbo");
}
