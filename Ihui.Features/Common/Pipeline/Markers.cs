using Ihui.Features.Common.Billing;

namespace Ihui.Features.Common.Pipeline;

/// <summary>A call that gets one row in the call log. <see cref="Route"/> is the public path it serves.</summary>
public interface ILoggedCall
{
    static abstract string Route { get; }
    string? ChatId => null;
}

public enum CredentialKind { UserUuid, ApiKey, SessionToken, AdminToken, UuidAndUsername }

/// <summary>How a caller proves who they are; the auth behaviour picks the resolver by <see cref="Kind"/>.</summary>
public readonly record struct Credential(CredentialKind Kind, string? Value);

/// <summary>A request that must come from a known, enabled user (401 otherwise).</summary>
public interface IAuthenticatedRequest
{
    Credential Credential { get; }
}

/// <summary>Seed 000's style: the caller names itself with <c>user_uuid</c> in the body or query.</summary>
public interface IUserUuidRequest : IAuthenticatedRequest
{
    string? UserUuid { get; }
    Credential IAuthenticatedRequest.Credential => new(CredentialKind.UserUuid, UserUuid);
}

/// <summary>
/// Seed 001/002's style: the caller names itself with <c>uuid</c> (a users.id) and, optionally, <c>username</c>,
/// which must then be that user's name.
/// </summary>
public interface IUuidUsernameRequest : IAuthenticatedRequest
{
    string? Uuid { get; }
    string? Username { get; }
    Credential IAuthenticatedRequest.Credential => new(CredentialKind.UuidAndUsername, UuidUsernameResolver.Encode(Uuid, Username));
}

/// <summary>A request paid for from the caller's balance: reserve an estimate, settle the real usage.</summary>
public interface IBillable
{
    /// <summary>The model whose price applies (a row of the <c>prices</c> table).</summary>
    string PriceModel { get; }

    /// <summary>The most this call is expected to use; it is held before the vendor is called.</summary>
    Usage EstimateUsage();
}

/// <summary>A response that reports what the vendor actually used; the billing behaviour fills <see cref="Receipt"/>.</summary>
public interface IBilled
{
    Usage Usage { get; }
    Receipt? Receipt { get; set; }
}
