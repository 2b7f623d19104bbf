using Ihui.Features.Common.Chat;

namespace Ihui.Features.Chat.DeepSeekStream;

public sealed class DeepSeekStreamValidator : ChatStreamValidator<DeepSeekStreamRequest>;
