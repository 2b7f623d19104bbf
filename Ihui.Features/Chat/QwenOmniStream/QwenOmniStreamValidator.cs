using Ihui.Features.Common.Chat;

namespace Ihui.Features.Chat.QwenOmniStream;

public sealed class QwenOmniStreamValidator : ChatStreamValidator<QwenOmniStreamRequest>;
