using System.Text.Json.Serialization;
using Carter;
using Ihui.Features.Common.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ihui.Features.Suno.SunoGenerateMusic;

public sealed class SunoGenerateMusicEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapTaskPost<SunoGenerateMusicRequest, MusicTaskData>(SunoGenerateMusicRequest.Route, "music generation",
                (request, input) => request with { UserUuid = request.UserUuid ?? input.UserUuid, IdempotencyKey = input.IdempotencyKey },
                (_, task, done) => new MusicTaskData(task.TaskId, task.State.ToWire(),
                    done ? task.ResultUrls[0] : null, done ? task.ResultUrls : null, done ? task.Charged : null))
            .WithTags("Suno")
            .WithSummary("Suno音乐生成 (seed 000 #21, Suno music task)");
}

/// <summary><c>music_url</c> is the seed's (the first clip); Suno usually makes two clips per submit, all in <c>music_urls</c>.</summary>
public sealed record MusicTaskData(
    [property: JsonPropertyName("task_id")] string TaskId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("music_url")] string? MusicUrl,
    [property: JsonPropertyName("music_urls")] IReadOnlyList<string>? MusicUrls,
    [property: JsonPropertyName("consume_token")] long? ConsumeToken);
