using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.ApiKeys.CreateApiKey;

/// <summary>
/// <c>POST /api/keys</c>: a new key for the calling user. <see cref="Models"/> limits the catalog models it may use,
/// <see cref="Quota"/> the platform tokens it may spend in total, <see cref="ExpiresAt"/> its lifetime, <see cref="RpmLimit"/> and
/// <see cref="ConcurrencyLimit"/> its request limits (all optional).
/// </summary>
public sealed record CreateApiKeyRequest : IRequest<ApiKeyView>, IUserUuidRequest
{
    public string? UserUuid { get; init; }
    public string? Name { get; init; }
    public IReadOnlyList<string>? Models { get; init; }
    public long? Quota { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>This key's requests per minute and at once (null: the global key defaults; 0: no limit for this key).</summary>
    public int? RpmLimit { get; init; }
    public int? ConcurrencyLimit { get; init; }
}
