using System.Text.Json;
using System.Text.Json.Serialization;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.IFlytek.TextModelStream;

/// <summary>Seed 001/002 <c>POST /textModel/stream</c>: the same dialog, answered as Spark's own frames.</summary>
public sealed record TextModelStreamRequest : IStreamRequest<SparkStreamChunk>, ILoggedCall, IUuidUsernameRequest, IBillable
{
    public static string Route => "/textModel/stream";

    public string? Uuid { get; init; }
    public string? Username { get; init; }
    public IReadOnlyList<DialogMessage>? Dialog { get; init; }

    [JsonIgnore] public string Domain { get; init; } = "";
    [JsonIgnore] public int MaxTokens { get; init; }

    string IBillable.PriceModel => Domain;

    public Usage EstimateUsage() => new(Dialog?.Sum(m => Usage.TokensForText(m.Content)) ?? 0, MaxTokens);
}

/// <summary>
/// A Spark frame to pass through (<see cref="Frame"/>, with <see cref="IsLast"/> on status 2), or the closing
/// receipt appended by the billing behaviour.
/// </summary>
public sealed record SparkStreamChunk(JsonElement? Frame, bool IsLast, string? DeliveredText, Usage? Usage, Receipt? Receipt = null)
    : IBilledChunk<SparkStreamChunk>
{
    public static SparkStreamChunk Settled(Receipt receipt, Usage usage) => new(null, false, null, null, receipt);
}
