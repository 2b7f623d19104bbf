using System.Text.Json.Serialization;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Pipeline;
using Ihui.Features.Common.Tasks;
using Mediator;

namespace Ihui.Features.Doubao.DoubaoVideoGeneration;

/// <summary>Seed 000 HTTP #1, 豆包视频生成: a Seedance task from a prompt and up to two frames.</summary>
public sealed record DoubaoVideoGenerationRequest : IRequest<TaskView>, ILoggedCall, IUserUuidRequest
{
    public const string PriceModel = "doubao-seedance";
    public const int DefaultSeconds = 5;
    public const int MaxImages = 2;

    public static string Route => "/cozeZhsApi/proxy/video-generation";

    public string? Prompt { get; init; }
    public IReadOnlyList<string>? Images { get; init; }
    public string? UserUuid { get; init; }
    public string? ChatId { get; init; }
    public IReadOnlyList<CustomParam>? Zidingyican { get; init; }

    /// <summary>From the <c>Idempotency-Key</c> header.</summary>
    [JsonIgnore] public string? IdempotencyKey { get; init; }

    public int Seconds => (int)(SeedanceParams.Find(Zidingyican, "duration")?.AsLong ?? DefaultSeconds);
}
