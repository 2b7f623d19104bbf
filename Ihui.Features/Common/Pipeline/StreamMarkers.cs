using Ihui.Features.Common.Billing;

namespace Ihui.Features.Common.Pipeline;

/// <summary>
/// A chunk of a billed stream. The vendor's usage arrives on (usually) the last chunk; text deltas are counted
/// when it never does. The billing behaviour appends one final chunk made by <see cref="Settled"/>.
/// </summary>
public interface IBilledChunk<TSelf> where TSelf : IBilledChunk<TSelf>
{
    /// <summary>The vendor's usage, on the chunk that reports it (null on the others).</summary>
    Usage? Usage { get; }

    /// <summary>Text delivered to the client by this chunk (content and reasoning), for counting partial usage.</summary>
    string? DeliveredText { get; }

    /// <summary>The closing chunk: what the turn cost and the balance left.</summary>
    static abstract TSelf Settled(Receipt receipt, Usage usage);
}
