using Ihui.Features.Common.Pipeline;
using Ihui.Features.Common.Tasks;
using Mediator;

namespace Ihui.Features.Tasks.GetTask;

/// <summary>The state of one of the caller's tasks; anyone else's is 404.</summary>
public sealed record GetTaskRequest(string TaskId, string? UserUuid) : IRequest<TaskView>, IUserUuidRequest
{
    public const string Route = "/cozeZhsApi/tasks/{task_id}";
}
