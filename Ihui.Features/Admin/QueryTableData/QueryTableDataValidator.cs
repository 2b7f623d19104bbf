using FluentValidation;
using Ihui.Features.Common.Admin;

namespace Ihui.Features.Admin.QueryTableData;

public sealed class QueryTableDataValidator : AbstractValidator<QueryTableDataRequest>
{
    public QueryTableDataValidator()
    {
        RuleFor(r => r.Table).Must(AdminTables.IsKnown).WithMessage($"unknown table; use one of: {string.Join(", ", AdminTables.Names)}");
        RuleFor(r => r.TargetName).NotEmpty().MaximumLength(255);
    }
}
