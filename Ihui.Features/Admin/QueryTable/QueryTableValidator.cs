using FluentValidation;
using Ihui.Features.Common.Admin;

namespace Ihui.Features.Admin.QueryTable;

public sealed class QueryTableValidator : AbstractValidator<QueryTableRequest>
{
    public QueryTableValidator()
    {
        RuleFor(r => r.Table).Must(AdminTables.IsKnown).WithMessage($"unknown table; use one of: {string.Join(", ", AdminTables.Names)}");
        RuleFor(r => r.QueryRange).InclusiveBetween(1, AdminTables.MaxPageSize);
        RuleFor(r => r.Start).InclusiveBetween(0, AdminTables.MaxOffset);
    }
}
