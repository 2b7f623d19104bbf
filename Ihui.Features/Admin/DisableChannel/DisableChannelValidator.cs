using FluentValidation;

namespace Ihui.Features.Admin.DisableChannel;

public sealed class DisableChannelValidator : AbstractValidator<DisableChannelRequest>
{
    public DisableChannelValidator()
    {
        RuleFor(r => r.Id).NotEmpty().MaximumLength(64);
        RuleFor(r => r.Reason).MaximumLength(200);
    }
}
