using Ihui.Features.Common.ApiKeys;
using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.ApiKeys.CreateApiKey;

public sealed class CreateApiKeyHandler(ApiKeyStore keys, CurrentCaller current, TimeProvider clock) : IRequestHandler<CreateApiKeyRequest, ApiKeyView>
{
    public async ValueTask<ApiKeyView> Handle(CreateApiKeyRequest request, CancellationToken cancellationToken)
    {
        var models = request.Models?.Select(m => m.Trim()).Distinct(StringComparer.Ordinal).ToList();
        var (info, secret) = await keys.CreateAsync(current.Caller.UserId, request.Name, models, request.Quota,
            request.ExpiresAt?.UtcDateTime, cancellationToken, request.RpmLimit, request.ConcurrencyLimit);
        return ApiKeyView.From(info, clock.GetUtcNow().UtcDateTime, secret);
    }
}
