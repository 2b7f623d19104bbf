namespace Ihui.Features.Common.Pipeline;

/// <summary>
/// Who is calling, once the auth behaviour has resolved the credential. An API key may restrict the models it
/// can be billed for (<see cref="AllowedModels"/>, null = any); the biller enforces it (403).
/// </summary>
public sealed record Caller(string UserId, string? ApiKeyId = null)
{
    public IReadOnlySet<string>? AllowedModels { get; init; }

    /// <summary>The key's own limits (null: the global key defaults apply; 0: none for this key).</summary>
    public int? KeyRpmLimit { get; init; }
    public int? KeyConcurrencyLimit { get; init; }
}

/// <summary>Resolves one kind of credential to a caller, or null when it names no enabled user.</summary>
public interface ICredentialResolver
{
    CredentialKind Kind { get; }
    ValueTask<Caller?> ResolveAsync(string credential, CancellationToken ct);
}

/// <summary>The caller of the current scope, set by the auth behaviour.</summary>
public sealed class CurrentCaller
{
    private Caller? _caller;

    public Caller Caller => _caller ?? throw new InvalidOperationException("No caller: the request did not pass the auth behaviour.");
    public bool IsKnown => _caller is not null;
    public void Set(Caller caller) => _caller = caller;
}
