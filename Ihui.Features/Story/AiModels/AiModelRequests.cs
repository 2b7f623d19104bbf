using System.Text.Json;
using Ihui.Features.Common.Models;
using Ihui.Features.Story.Shared;
using Ihui.Features.Common.Wallet;
using Mediator;

namespace Ihui.Features.Story.AiModels;

/// <summary><c>GET /ai/models?type&amp;llm_id</c>: the registry's enabled models, optionally of one type or one id.</summary>
public sealed record ListAiModelsRequest(string? AccessToken, string? Type, string? LlmId) : IRequest<IReadOnlyList<AiModelView>>, IWalletRequest;

/// <summary><c>GET /ai/models/least-used/{type}</c>: the enabled model of that type used longest ago, marked used.</summary>
public sealed record LeastUsedModelRequest(string? AccessToken, string Type) : IRequest<AiModelView>, IWalletRequest;

/// <summary>A registry model as the platform shows it; <c>model_name</c> is the vendor's own id.</summary>
public sealed record AiModelView(string LlmId, string Type, string Vendor, string ModelName, JsonElement? Parameters, bool Enabled, string? LastUsedAt)
{
    public static AiModelView From(CatalogModel m) =>
        new(m.Name, m.Type, m.Vendor, m.UpstreamModel, StoryJson.Parse(m.Parameters), m.Enabled, StoryJson.Time(m.LastUsedAt));
}
