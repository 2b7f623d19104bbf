using Ihui.Features.Common.ChatCompletions;
using Ihui.Features.Common.Models;

namespace Ihui.Features.OpenAi.ChatCompletions;

public sealed class ChatCompletionsValidator(ModelCatalog catalog) : ChatCompletionsRules<ChatCompletionsRequest>(catalog);

public sealed class ChatCompletionsStreamValidator(ModelCatalog catalog) : ChatCompletionsRules<ChatCompletionsStreamRequest>(catalog);
