using Ihui.Features.Common.Chat;

namespace Ihui.Features.Chat.QwenStream;

public sealed class QwenStreamValidator : ChatStreamValidator<QwenStreamRequest>;
