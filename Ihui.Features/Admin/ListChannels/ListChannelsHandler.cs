using Ihui.Features.Common.Http;
using Mediator;

namespace Ihui.Features.Admin.ListChannels;

public sealed class ListChannelsHandler(ChannelAdmin channels) : IRequestHandler<ListChannelsRequest, Envelope<IReadOnlyList<ChannelView>>>
{
    public ValueTask<Envelope<IReadOnlyList<ChannelView>>> Handle(ListChannelsRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Envelope.Ok(channels.List()));
}
