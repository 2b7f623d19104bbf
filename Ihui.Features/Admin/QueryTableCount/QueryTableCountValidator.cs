using FluentValidation;
using Ihui.Features.Common.Admin;

namespace Ihui.Features.Admin.QueryTableCount;

public sealed class QueryTableCountValidator : AbstractValidator<QueryTableCountRequest>
{
    public QueryTableCountValidator() =>
        RuleFor(r => r.Table).Must(AdminTables.IsKnown).WithMessage($"unknown table; use one of: {string.Join(", ", AdminTables.Names)}");
}
