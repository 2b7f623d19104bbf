using System.Text.Json.Serialization;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Common.Tasks;
using Mediator;

namespace Ihui.Features.Luyala.LuyalaVideoCreate;

/// <summary>Seed 000 HTTP #13, 路鸭拉视频生成: a Luyala video job from a prompt.</summary>
public sealed record LuyalaVideoCreateRequest : IRequest<TaskView>, ILoggedCall, IUserUuidRequest
{
    public const string PriceModel = "luyala-video";
    public const int MaxPromptLength = 4000;

    public static string Route => "/cozeZhsApi/luyala/video/create";

    public string? Prompt { get; init; }
    public string? UserUuid { get; init; }
    public string? ChatId { get; init; }

    /// <summary>From the <c>Idempotency-Key</c> header.</summary>
    [JsonIgnore] public string? IdempotencyKey { get; init; }
}
