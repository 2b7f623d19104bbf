using FluentValidation;
using Ihui.Features.Common.Vendors.Channels;

namespace Ihui.Features.Admin.CreateChannel;

public sealed class CreateChannelValidator : AbstractValidator<CreateChannelRequest>
{
    public CreateChannelValidator()
    {
        RuleFor(r => r.Vendor).NotEmpty().Must(v => v is not null && ChannelRouter.Routable.ContainsKey(v))
            .WithMessage($"must be one of: {string.Join(", ", ChannelRouter.Routable.Keys.Order(StringComparer.Ordinal))}");
        RuleFor(r => r.Name).NotEmpty().ChannelName();
        RuleFor(r => r.BaseUrl).NotEmpty().ChannelUrl();
        RuleFor(r => r.ApiKey).NotEmpty().ChannelKey();
        RuleFor(r => r.Models).ChannelModels();
        RuleFor(r => r.Priority).ChannelPriority();
        RuleFor(r => r.Weight).ChannelWeight();
        RuleFor(r => r.TimeoutSeconds).ChannelTimeout();
    }
}
