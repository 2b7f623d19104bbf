using Ihui.Features.Common.Errors;

namespace Ihui.Features.Story.Shared;

/// <summary>The platform's ownership rule: a private item of another user is not found on read and forbidden on write.</summary>
public static class Ownership
{
    public static ApiException NotFound(string what) => ApiException.NotFound($"{what} not found");

    /// <summary>For a write: 404 when there is no such item, 403 when it is someone else's.</summary>
    public static void EnsureOwner(string what, string? ownerId, bool exists, string callerId)
    {
        if (!exists) throw NotFound(what);
        if (ownerId != callerId) throw ApiException.Forbidden($"Not allowed to change this {what.ToLowerInvariant()}");
    }
}
