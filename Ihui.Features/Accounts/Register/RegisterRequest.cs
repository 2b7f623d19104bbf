using Ihui.Features.Common.Http;
using Mediator;

namespace Ihui.Features.Accounts.Register;

/// <summary>Seed 001/002 <c>POST /auth/register</c>: a new user with a password (academy is seed 002's).</summary>
public sealed record RegisterRequest : IRequest<SeedReply>
{
    public string? Username { get; init; }
    public string? Password { get; init; }
    public string? Email { get; init; }
    public string? Academy { get; init; }
}
