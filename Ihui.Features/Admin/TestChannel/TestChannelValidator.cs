using FluentValidation;

namespace Ihui.Features.Admin.TestChannel;

public sealed class TestChannelValidator : AbstractValidator<TestChannelRequest>
{
    public TestChannelValidator()
    {
        RuleFor(r => r.Id).NotEmpty().MaximumLength(64);
        RuleFor(r => r.Model).MaximumLength(128);
    }
}
