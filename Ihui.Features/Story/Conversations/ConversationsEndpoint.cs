using Carter;
using Ihui.Features.Common.Http;
using Ihui.Features.Story.Shared;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Story.Conversations;

/// <summary>Seed 003's conversations and their history ("对话相关接口", "获取历史消息" in both forms).</summary>
public sealed class ConversationsEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Story platform");
        group.MapPost("/conversation", async (HttpRequest http, CreateConversationRequest request, ISender sender, CancellationToken ct) =>
                StoryJson.Ok(await sender.Send(request with { AccessToken = Bearer.Token(http) }, ct)))
            .WithSummary("Create a conversation");
        group.MapGet("/conversation/{story_id}", async (HttpRequest http, [FromRoute(Name = "story_id")] string storyId, ISender sender, CancellationToken ct) =>
                StoryJson.Ok(await sender.Send(new FindConversationRequest(Bearer.Token(http), storyId), ct)))
            .WithSummary("Find the conversation of a story");
        group.MapPost("/story_chat/history-messages", async (HttpRequest http, HistoryByTimeRequest request, ISender sender, CancellationToken ct) =>
                StoryJson.Ok(await sender.Send(request with { AccessToken = Bearer.Token(http) }, ct)))
            .WithSummary("Get history messages before a time");
        group.MapGet("/story_chat/history-messages", async (HttpRequest http, [FromQuery(Name = "conversation_id")] string? conversationId,
                    [FromQuery(Name = "last_message_id")] string? lastMessageId, [FromQuery] string? limit, ISender sender, CancellationToken ct) =>
                StoryJson.Ok(await sender.Send(new HistoryByMessageRequest(Bearer.Token(http), conversationId, lastMessageId, limit), ct)))
            .WithSummary("Get history messages before a message");
    }
}
