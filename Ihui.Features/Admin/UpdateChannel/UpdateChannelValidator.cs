using FluentValidation;

namespace Ihui.Features.Admin.UpdateChannel;

public sealed class UpdateChannelValidator : AbstractValidator<UpdateChannelRequest>
{
    public UpdateChannelValidator()
    {
        RuleFor(r => r.Id).NotEmpty().MaximumLength(64);
        RuleFor(r => r.Name).ChannelName();
        RuleFor(r => r.BaseUrl).ChannelUrl();
        RuleFor(r => r.ApiKey).ChannelKey();
        RuleFor(r => r.SecretKey).ChannelKey();
        RuleFor(r => r.Models).ChannelModels();
        RuleFor(r => r.Models).Null().When(r => r.AllModels == true).WithMessage("send either models or all_models");
        RuleFor(r => r.Priority).ChannelPriority();
        RuleFor(r => r.Weight).ChannelWeight();
        RuleFor(r => r.TimeoutSeconds).ChannelTimeout();
        RuleFor(r => r).Must(r => r.Name is not null || r.BaseUrl is not null || r.ApiKey is not null || r.SecretKey is not null || r.Models is not null || r.AllModels == true
                                  || r.Priority is not null || r.Weight is not null || r.TimeoutSeconds is not null || r.Enabled is not null)
            .WithName("body").WithMessage("send at least one field to change");
    }
}
