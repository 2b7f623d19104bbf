using System.Text.Json;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Models;
using Ihui.Features.Common.Vendors;
using Mediator;

namespace Ihui.Features.Admin.SetModel;

public sealed class SetModelHandler(ModelCatalog catalog, AdminAudit audit, CurrentAdmin current) : IRequestHandler<SetModelRequest, SeedReply>
{
    public async ValueTask<SeedReply> Handle(SetModelRequest r, CancellationToken ct)
    {
        var name = r.LlmId!.Trim();
        var aggregated = name.StartsWith(ModelCatalog.AggregatorPrefix, StringComparison.Ordinal);
        var model = new CatalogModel
        {
            Name = name,
            Vendor = r.Vendor ?? KnownVendors.Ai302.Name,
            UpstreamModel = r.ModelName is { Length: > 0 } m ? m.Trim() : aggregated ? name[ModelCatalog.AggregatorPrefix.Length..] : name,
            Type = r.Type ?? ModelTypes.Chat,
            Enabled = r.Enabled ?? true,
            Parameters = r.Parameters is { ValueKind: JsonValueKind.Object } p ? ModelParameters.Normalize(p.GetRawText()) : null,
        };
        await catalog.UpsertAsync(model, ct);
        await audit.RecordAsync(current.Admin, "model", name,
            $"{model.Type} {model.Vendor}/{model.UpstreamModel} {(model.Enabled ? "enabled" : "disabled")} {model.Parameters}");
        return SeedReply.Ok("模型已保存");
    }
}
