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
        RuleFor(r => r.SecretKey).ChannelKey();
        RuleFor(r => r.SecretKey).NotEmpty().When(r => r.Vendor is not null && ChannelRouter.Routable.TryGetValue(r.Vendor, out var v) && v.UsesKeyPair)
            .WithMessage("this vendor signs with a key pair: send secret_key with the access key in api_key");
        RuleFor(r => r.SecretKey).Null().When(r => r.Vendor is not null && ChannelRouter.Routable.TryGetValue(r.Vendor, out var v) && !v.UsesKeyPair)
            .WithMessage("this vendor takes one key (api_key): leave secret_key out");
        RuleFor(r => r.Models).ChannelModels();
        RuleFor(r => r.Priority).ChannelPriority();
        RuleFor(r => r.Weight).ChannelWeight();
        RuleFor(r => r.TimeoutSeconds).ChannelTimeout();
    }
}
