using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.IFlytek.ConsoleTest;

/// <summary>
/// Seed 002 <c>POST /admin/console_test</c>: an administrator tries Spark with their own limit, top_k and temperature.
/// Not billed to a user (the caller is an administrator). Not routed yet: it needs the admin-JWT marker and resolver,
/// which come with the admin area; until then the route does not exist.
/// </summary>
public sealed record ConsoleTestRequest : IRequest<ConsoleTestResult>, ILoggedCall
{
    public static string Route => "/admin/console_test";

    public IReadOnlyList<DialogMessage>? Dialog { get; init; }
    public int? Limit { get; init; }
    public int? TopK { get; init; }
    public double? Temperature { get; init; }
}

/// <summary><see cref="ConsumeToken"/> is what Spark counted for the turn (prompt + completion).</summary>
public sealed record ConsoleTestResult(string Content, Usage Usage)
{
    public long ConsumeToken => Usage.InputTokens + Usage.OutputTokens;
}
