using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.Voice.Connect;

/// <summary>
/// The voice sockets' admission: the API key sent on the upgrade (header or <c>api_key</c> query) must name an
/// enabled user, checked by the pipeline's auth behaviour before any frame but the 401 error is sent.
/// </summary>
public sealed record VoiceConnectRequest(string? ApiKey) : IRequest<VoiceConnectResult>, IAuthenticatedRequest
{
    public Credential Credential => new(CredentialKind.ApiKey, ApiKey);
}

public sealed record VoiceConnectResult(string UserId);

public sealed class VoiceConnectHandler(CurrentCaller caller) : IRequestHandler<VoiceConnectRequest, VoiceConnectResult>
{
    public ValueTask<VoiceConnectResult> Handle(VoiceConnectRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new VoiceConnectResult(caller.Caller.UserId));
}
