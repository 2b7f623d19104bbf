using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Http;
using Mediator;

namespace Ihui.Features.Admin.ListChannels;

/// <summary><c>GET /admin/channels</c>: every channel of every routed vendor, the environment's included, keys masked.</summary>
public sealed record ListChannelsRequest(string? AccessToken) : IRequest<Envelope<IReadOnlyList<ChannelView>>>, IAdminRequest;
