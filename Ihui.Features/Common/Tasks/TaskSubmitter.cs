using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Pipeline;

namespace Ihui.Features.Common.Tasks;

/// <summary>The scope's view of the engine: the caller, route and chat come from the pipeline.</summary>
public sealed class TaskSubmitter(TaskEngine engine, CurrentCaller current, CallContext call) : ITaskSubmitter
{
    public async Task<TaskView> SubmitAsync(TaskSubmission submission, CancellationToken ct)
    {
        call.Vendor ??= submission.Kind;
        call.Model ??= submission.PriceModel;
        var view = await engine.SubmitAsync(current.Caller.UserId, string.IsNullOrEmpty(call.Route) ? "task" : call.Route, call.ChatId, submission, ct);
        call.Reserved = view.Reserved;
        return view;
    }

    public Task<TaskView> WaitAsync(string taskId, TimeSpan max, CancellationToken ct) =>
        engine.WaitAsync(current.Caller.UserId, taskId, max, ct);
}
