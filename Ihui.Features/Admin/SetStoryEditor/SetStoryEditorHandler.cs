using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Errors;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Wallet;
using Mediator;

namespace Ihui.Features.Admin.SetStoryEditor;

public sealed class SetStoryEditorHandler(WalletStore wallets, AdminAudit audit, CurrentAdmin current) : IRequestHandler<SetStoryEditorRequest, SeedReply>
{
    public async ValueTask<SeedReply> Handle(SetStoryEditorRequest request, CancellationToken cancellationToken)
    {
        var address = WalletAddress.Normalize(request.WalletAddress!);
        if (!await wallets.SetEditorAsync(address, request.IsEditor!.Value, cancellationToken))
            throw ApiException.NotFound("no wallet with that address has signed in");
        await audit.RecordAsync(current.Admin, "story_editor", address, request.IsEditor.Value ? "granted" : "withdrawn");
        return SeedReply.Ok(request.IsEditor.Value ? "已设为编辑" : "已取消编辑");
    }
}
