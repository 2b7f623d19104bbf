using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.ApiKeys.ListApiKeys;

/// <summary><c>GET /api/keys?user_uuid=…</c>: the caller's keys, revoked ones included, without secrets.</summary>
public sealed record ListApiKeysRequest(string? UserUuid) : IRequest<ApiKeyList>, IUserUuidRequest;

public sealed record ApiKeyList(IReadOnlyList<ApiKeyView> Keys);
