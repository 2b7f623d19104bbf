using System.Text.Json.Serialization;
using Ihui.Features.Common.Billing;

namespace Ihui.Features.Common.Http;

/// <summary>
/// Seed 001/002's model-call answer: <c>content</c>, <c>consume_token</c> and <c>msg</c> at the top level next to
/// <c>code</c> (not under <c>data</c>). <c>tokens</c> (seed 002's name for the balance) is added when billed.
/// </summary>
public sealed record ModelReply(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("content")] string Content,
    [property: JsonPropertyName("consume_token")] long? ConsumeToken = null,
    [property: JsonPropertyName("tokens")] long? Tokens = null)
{
    public static ModelReply Ok(string msg, string content, Receipt? receipt = null) =>
        new(0, msg, content, receipt?.Charged, receipt?.Balance);
}

/// <summary>One turn of a seed 001/002 <c>dialog</c>.</summary>
public sealed record DialogMessage(
    [property: JsonPropertyName("role")] string? Role,
    [property: JsonPropertyName("content")] string? Content);
