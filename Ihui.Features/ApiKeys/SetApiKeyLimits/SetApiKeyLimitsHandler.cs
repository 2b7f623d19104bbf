using Ihui.Features.Common.ApiKeys;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.ApiKeys.SetApiKeyLimits;

public sealed class SetApiKeyLimitsHandler(ApiKeyStore keys, CurrentCaller current, TimeProvider clock) : IRequestHandler<SetApiKeyLimitsRequest, ApiKeyView>
{
    public async ValueTask<ApiKeyView> Handle(SetApiKeyLimitsRequest request, CancellationToken cancellationToken)
    {
        var key = await keys.SetLimitsAsync(current.Caller.UserId, request.Id, request.RpmLimit, request.ConcurrencyLimit, cancellationToken)
                  ?? throw ApiException.NotFound("no such API key");
        return ApiKeyView.From(key, clock.GetUtcNow().UtcDateTime);
    }
}
