using Ihui.Features.Common.Errors;

namespace Ihui.Features.Common.Tasks;

/// <summary>How an HTTP slice turns a task into its answer once it has waited.</summary>
public static class TaskResults
{
    /// <summary>True when the result is there; throws the documented error when the task ended without one.</summary>
    public static bool IsDone(TaskView task, string what) => task.State switch
    {
        TaskState.Succeeded => true,
        TaskState.Queued or TaskState.Running => false,
        TaskState.Expired => throw new ApiException(408, "task_expired", $"{what} did not finish in time (task {task.TaskId}); nothing was charged"),
        _ => throw new ApiException(502, "task_failed",
            $"{what} {task.State.ToWire()} (task {task.TaskId}): {task.Error ?? "no reason given"}; nothing was charged"),
    };
}
