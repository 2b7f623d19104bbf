using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Http;
using Mediator;

namespace Ihui.Features.Admin.ControlToken;

/// <summary>Seed 002 <c>GET /admin/control_token?is_available=1&amp;token_name=…</c>: enable (1) or disable (0) a redeem code.</summary>
public sealed record ControlTokenRequest(int? IsAvailable, string? TokenName, string? AccessToken) : IRequest<SeedReply>, IAdminRequest;
