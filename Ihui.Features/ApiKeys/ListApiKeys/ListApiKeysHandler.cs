using Ihui.Features.Common.ApiKeys;
using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.ApiKeys.ListApiKeys;

public sealed class ListApiKeysHandler(ApiKeyStore keys, CurrentCaller current, TimeProvider clock) : IRequestHandler<ListApiKeysRequest, ApiKeyList>
{
    public async ValueTask<ApiKeyList> Handle(ListApiKeysRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new ApiKeyList((await keys.ListAsync(current.Caller.UserId, cancellationToken)).Select(k => ApiKeyView.From(k, now)).ToList());
    }
}
