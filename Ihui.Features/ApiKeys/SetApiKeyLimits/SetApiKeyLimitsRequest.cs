using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.ApiKeys.SetApiKeyLimits;

/// <summary>
/// <c>PUT /api/keys/{id}/limits</c>: replaces one of the caller's keys' request limits. Each field: a number (0 = no
/// limit for this key) or null/absent (the global key default applies).
/// </summary>
public sealed record SetApiKeyLimitsRequest : IRequest<ApiKeyView>, IUserUuidRequest
{
    public string? UserUuid { get; init; }
    public string Id { get; init; } = "";
    public int? RpmLimit { get; init; }
    public int? ConcurrencyLimit { get; init; }
}
