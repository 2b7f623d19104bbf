using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Errors;
using Mediator;

namespace Ihui.Features.Common.Pipeline;

/// <summary>Resolves the request's credential to an enabled user; 401 otherwise.</summary>
public sealed class AuthBehaviour<TMessage, TResponse>(Authenticator authenticator)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IAuthenticatedRequest, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        await authenticator.AuthenticateAsync(message.Credential, cancellationToken);
        return await next(message, cancellationToken);
    }
}

/// <summary>Shared by the request and stream auth behaviours.</summary>
public sealed class Authenticator(IEnumerable<ICredentialResolver> resolvers, CurrentCaller current, CallContext call)
{
    // A handful of resolvers, built for every call: a scan costs less than indexing them each time.
    private readonly ICredentialResolver[] _resolvers = resolvers as ICredentialResolver[] ?? [.. resolvers];

    public async ValueTask<Caller> AuthenticateAsync(Credential credential, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(credential.Value))
            throw ApiException.Unauthorized(MissingMessage(credential.Kind));
        // Seed 003's wallet tokens are bearer credentials too: a paw_ token where an API key is asked for is resolved as one.
        if (credential.Kind == CredentialKind.ApiKey && credential.Value.StartsWith("paw_", StringComparison.Ordinal))
            credential = credential with { Kind = CredentialKind.SessionToken };
        var resolver = Resolver(credential.Kind) ?? throw ApiException.Unauthorized($"{credential.Kind} credentials are not accepted here");
        var caller = await resolver.ResolveAsync(credential.Value, ct)
                     ?? throw ApiException.Unauthorized(UnknownMessage(credential.Kind));
        current.Set(caller);
        call.UserId = caller.UserId;
        return caller;
    }

    private ICredentialResolver? Resolver(CredentialKind kind)
    {
        foreach (var r in _resolvers)
            if (r.Kind == kind) return r;
        return null;
    }

    private static string MissingMessage(CredentialKind kind) => kind switch
    {
        CredentialKind.UserUuid => "user_uuid is required",
        CredentialKind.UuidAndUsername => "uuid is required",
        CredentialKind.ApiKey => "missing API key: send Authorization: Bearer sk-…",
        CredentialKind.AdminToken => "admin access token required: send Authorization: Bearer <access_token>",
        CredentialKind.SessionToken => "Not authenticated",
        _ => "authentication required",
    };

    private static string UnknownMessage(CredentialKind kind) => kind switch
    {
        CredentialKind.UserUuid => "user_uuid does not name an enabled user",
        CredentialKind.UuidAndUsername => "uuid and username do not name an enabled user",
        CredentialKind.ApiKey => "invalid, revoked or expired API key",
        CredentialKind.AdminToken => "invalid or expired admin access token",
        CredentialKind.SessionToken => "Invalid or expired token",
        _ => "invalid credentials",
    };
}
