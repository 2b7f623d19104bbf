using System.Runtime.CompilerServices;
using Ihui.Features.Common.Chat;
using Ihui.Features.Common.Configuration;
using Ihui.Features.Common.Errors;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ihui.Features.Chat.Sockets;

/// <summary>The upstream model of a chat route: a configuration variable and its default.</summary>
public sealed record ChatModelSetting(string Variable, string Default)
{
    public string Resolve(IConfiguration configuration) => configuration[Variable] is { Length: > 0 } m ? m : Default;
}

public static class ChatSocketRoutes
{
    public const int MaxClientIdChars = 128;

    /// <summary>
    /// Maps a seed-000 chat stream (<c>?client_id=…&amp;user_uuid=…</c>). Each chat frame becomes one
    /// <typeparamref name="TRequest"/> with the chat's history, sent through <c>ISender.CreateStream</c> in its own scope.
    /// </summary>
    public static RouteHandlerBuilder MapChatSocket<TRequest>(this IEndpointRouteBuilder app, string route, ChatModelSetting model,
        Func<ChatTurn, TRequest> create)
        where TRequest : ChatStreamRequest, IStreamRequest<ChatStreamChunk>
    {
        return app.MapGet(route, async (HttpContext context, ChatOptions options, IServiceScopeFactory scopes, ILoggerFactory loggers) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
                throw ApiException.BadRequest("this route is a WebSocket: connect with ws://host" + route);
            var clientId = context.Request.Query["client_id"].ToString();
            if (clientId.Length > MaxClientIdChars) throw ApiException.BadRequest($"client_id: at most {MaxClientIdChars} characters");
            if (clientId.Length == 0) clientId = Guid.NewGuid().ToString("N");
            var userUuid = context.Request.Query["user_uuid"].ToString() is { Length: > 0 } u ? u : null;

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var logger = loggers.CreateLogger(typeof(ChatSocketSession).FullName!);
            using (logger.BeginScope(new Dictionary<string, object> { ["Route"] = route, ["ClientId"] = clientId }))
                await new ChatSocketSession(socket, options, scopes, RunTurn, userUuid, logger).RunAsync(clientId, context.RequestAborted);
            return Results.Empty;
        });

        async IAsyncEnumerable<ChatStreamChunk> RunTurn(IServiceProvider services, ChatTurnInput input, [EnumeratorCancellation] CancellationToken ct)
        {
            var options = services.GetRequiredService<ChatOptions>();
            IReadOnlyList<ChatHistoryMessage> history = [];
            if (input is { ChatId.Length: > 0 and <= ChatStreamValidator<TRequest>.MaxChatIdChars, UserUuid: { } user })
                history = await services.GetRequiredService<ChatHistoryStore>()
                    .LoadAsync(input.ChatId, user, options.HistoryMaxTurns * 2, options.HistoryMaxChars, ct);
            var request = create(new ChatTurn(input.Prompt, input.ChatId, input.UserUuid,
                model.Resolve(services.GetRequiredService<IConfiguration>()), history,
                services.GetRequiredService<GatewaySettings>().DefaultMaxOutputTokens));
            await foreach (var chunk in services.GetRequiredService<ISender>().CreateStream(request, ct).WithCancellation(ct))
                yield return chunk;
        }
    }
}
