using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Models;
using Mediator;

namespace Ihui.Features.Story.AiModels;

public sealed class ListAiModelsHandler(ModelCatalog catalog) : IRequestHandler<ListAiModelsRequest, IReadOnlyList<AiModelView>>
{
    public async ValueTask<IReadOnlyList<AiModelView>> Handle(ListAiModelsRequest r, CancellationToken ct) =>
        (await catalog.ListEnabledAsync(r.Type, string.IsNullOrEmpty(r.LlmId) ? null : r.LlmId, ct)).Select(AiModelView.From).ToList();
}

public sealed class LeastUsedModelHandler(ModelCatalog catalog) : IRequestHandler<LeastUsedModelRequest, AiModelView>
{
    public async ValueTask<AiModelView> Handle(LeastUsedModelRequest r, CancellationToken ct) =>
        AiModelView.From(await catalog.PickLeastUsedAsync(r.Type, ct) ?? throw ApiException.NotFound($"no enabled {r.Type} model"));
}
