using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Models;
using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.OpenAi.ListModels;

public sealed class ListModelsHandler(ModelCatalog catalog, PriceBook prices, CurrentCaller current) : IRequestHandler<ListModelsRequest, ModelList>
{
    public async ValueTask<ModelList> Handle(ListModelsRequest request, CancellationToken cancellationToken)
    {
        var allowed = current.Caller.AllowedModels;
        var entries = new List<ModelEntry>();
        foreach (var model in (await catalog.AllAsync(cancellationToken)).OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            // A model without a price cannot be billed, so it cannot be called either.
            if (!model.Enabled || allowed?.Contains(model.Name) == false || await prices.FindAsync(model.Name, cancellationToken) is null) continue;
            entries.Add(new ModelEntry(model.Name, "model", new DateTimeOffset(model.CreatedAt, TimeSpan.Zero).ToUnixTimeSeconds(), model.Vendor));
        }
        return new ModelList("list", entries);
    }
}
