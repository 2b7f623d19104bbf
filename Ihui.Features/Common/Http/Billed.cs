using System.Text.Json.Serialization;
using Ihui.Features.Common.Billing;

namespace Ihui.Features.Common.Http;

/// <summary>
/// What a seed-000 slice adds to its <c>data</c> object: tokens charged and the balance left
/// (extra fields; the seed's own fields are unchanged).
/// </summary>
public abstract record BilledData
{
    [JsonPropertyName("consume_token")] public long? ConsumeToken { get; init; }
    [JsonPropertyName("balance")] public long? Balance { get; init; }

    protected BilledData(Receipt? receipt)
    {
        ConsumeToken = receipt?.Charged;
        Balance = receipt?.Balance;
    }
}
