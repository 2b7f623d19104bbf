using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.ApiKeys.RevokeApiKey;

/// <summary><c>DELETE /api/keys/{id}?user_uuid=…</c>: revokes one of the caller's keys (404 for anyone else's).</summary>
public sealed record RevokeApiKeyRequest(string? UserUuid, string Id) : IRequest<ApiKeyView>, IUserUuidRequest;
