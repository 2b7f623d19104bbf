using Ihui.Features.Common.Chat;

namespace Ihui.Features.Chat.ZhipuStream;

public sealed class ZhipuStreamValidator : ChatStreamValidator<ZhipuStreamRequest>;
