using System.Text.Json.Serialization;

namespace Ihui.Features.Common.Http;

/// <summary>Seed 001/002's bare reply: <c>{"code":0,"msg":"…"}</c> with no <c>data</c>.</summary>
public sealed record SeedReply(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("msg")] string Msg)
{
    public static SeedReply Ok(string msg) => new(0, msg);
}
