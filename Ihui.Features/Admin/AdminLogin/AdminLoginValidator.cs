using FluentValidation;

namespace Ihui.Features.Admin.AdminLogin;

public sealed class AdminLoginValidator : AbstractValidator<AdminLoginRequest>
{
    public AdminLoginValidator()
    {
        RuleFor(r => r.Admin).NotEmpty().MaximumLength(64);
        RuleFor(r => r.Password).NotEmpty().MaximumLength(256);
    }
}
