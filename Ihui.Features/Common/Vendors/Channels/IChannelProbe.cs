namespace Ihui.Features.Common.Vendors.Channels;

/// <summary>
/// A task vendor's proof of one channel for the admin's channel test, where every create would be a paid task: one free,
/// authenticated query, in the vendor's own protocol, of a task id the vendor never issues, sent to that channel alone
/// through the router (so refused credentials disable the channel as on any call). The vendor checking the credentials
/// and answering "no such task" proves the channel; any other failure is thrown as the <c>ApiException</c> it is.
/// </summary>
public interface IChannelProbe
{
    VendorDefinition Vendor { get; }

    /// <summary>The model the query names (Jimeng: the <c>req_key</c>, <paramref name="requested"/> or a default), or null for a query that names none.</summary>
    string? ModelFor(string? requested);

    /// <summary>Sends the query to <paramref name="channel"/> alone; returns what the vendor answered.</summary>
    Task<string> ProbeAsync(Channel channel, string? model, CancellationToken ct);
}

public static class ChannelProbes
{
    /// <summary>
    /// The task id probes ask for: well-formed for the vendors whose ids are digits (Kling's and Jimeng's are 18–19-digit
    /// snowflakes, which never start with zeros; Suno gateways' are UUIDs), so the answer is "not found", not "invalid".
    /// </summary>
    public const string NoSuchTask = "0000000000000000000";
}
