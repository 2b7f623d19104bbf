using System.Text.Json.Serialization;
using Ihui.Features.Common.Admin;
using Ihui.Features.Common.Billing;
using Ihui.Features.Common.Http;
using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.IFlytek.ConsoleTest;

/// <summary>
/// Seed 002 <c>POST /admin/console_test</c>: an administrator tries Spark with their own limit, top_k and temperature.
/// Admin-authenticated and call-logged, never <c>IBillable</c>: the caller is an administrator, not a user with a balance.
/// </summary>
public sealed record ConsoleTestRequest : IRequest<ConsoleTestResult>, ILoggedCall, IAdminRequest
{
    public static string Route => "/admin/console_test";

    public IReadOnlyList<DialogMessage>? Dialog { get; init; }
    public int? Limit { get; init; }
    public int? TopK { get; init; }
    public double? Temperature { get; init; }
    [JsonIgnore] public string? AccessToken { get; init; }
}

/// <summary><see cref="ConsumeToken"/> is what Spark counted for the turn (prompt + completion).</summary>
public sealed record ConsoleTestResult(string Content, Usage Usage)
{
    public long ConsumeToken => Usage.InputTokens + Usage.OutputTokens;
}
