using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Http;
using Mediator;

namespace Ihui.Features.Admin.AddAdmin;

public sealed class AddAdminHandler(AdminStore admins, AdminAudit audit, CurrentAdmin current) : IRequestHandler<AddAdminRequest, SeedReply>
{
    public async ValueTask<SeedReply> Handle(AddAdminRequest request, CancellationToken cancellationToken)
    {
        var admin = await admins.CreateAsync(request.Admin!.Trim(), request.Password!, cancellationToken);
        await audit.RecordAsync(current.Admin, "add_admin", admin.Name, $"admin_id={admin.Id}");
        return SeedReply.Ok("添加管理员成功");
    }
}
