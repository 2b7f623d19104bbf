using Ihui.Features.Common.Chat;

namespace Ihui.Features.Chat.DoubaoStream;

public sealed class DoubaoStreamValidator : ChatStreamValidator<DoubaoStreamRequest>;
