using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.OpenAi.ListModels;

/// <summary><c>GET /v1/models</c>: the enabled, priced catalog models this API key may use.</summary>
public sealed record ListModelsRequest(string? ApiKey) : IRequest<ModelList>, IAuthenticatedRequest
{
    public Credential Credential => new(CredentialKind.ApiKey, ApiKey);
}

public sealed record ModelList(string Object, IReadOnlyList<ModelEntry> Data);

public sealed record ModelEntry(string Id, string Object, long Created, string OwnedBy);
