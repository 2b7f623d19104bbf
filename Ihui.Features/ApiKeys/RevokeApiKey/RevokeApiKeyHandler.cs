using Ihui.Features.Common.ApiKeys;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.ApiKeys.RevokeApiKey;

public sealed class RevokeApiKeyHandler(ApiKeyStore keys, CurrentCaller current, TimeProvider clock) : IRequestHandler<RevokeApiKeyRequest, ApiKeyView>
{
    public async ValueTask<ApiKeyView> Handle(RevokeApiKeyRequest request, CancellationToken cancellationToken)
    {
        var key = await keys.RevokeAsync(current.Caller.UserId, request.Id, cancellationToken)
                  ?? throw ApiException.NotFound("no such API key");
        return ApiKeyView.From(key, clock.GetUtcNow().UtcDateTime);
    }
}
