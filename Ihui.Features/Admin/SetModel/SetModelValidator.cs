using System.Text.Json;
using FluentValidation;
using Ihui.Features.Common.Models;
using Ihui.Features.Common.Vendors;

namespace Ihui.Features.Admin.SetModel;

public sealed class SetModelValidator : AbstractValidator<SetModelRequest>
{
    public SetModelValidator()
    {
        RuleFor(r => r.LlmId).NotEmpty().MaximumLength(128);
        RuleFor(r => r.Type).Must(t => t is null || ModelTypes.IsKnown(t)).WithMessage("must be one of " + string.Join(", ", ModelTypes.All));
        RuleFor(r => r.Vendor).Must(v => v is null || KnownVendors.Find(v) is not null)
            .WithMessage("must be one of " + string.Join(", ", KnownVendors.All.Select(k => k.Name)));
        RuleFor(r => r.Vendor).NotEmpty().When(r => r.LlmId?.StartsWith(ModelCatalog.AggregatorPrefix, StringComparison.Ordinal) != true)
            .WithMessage("is required (only 302/… models default to the 302ai vendor)");
        RuleFor(r => r.ModelName).MaximumLength(255);
        RuleFor(r => r.Parameters).Must(p => p is null or { ValueKind: JsonValueKind.Null }
                                             || p.Value.ValueKind == JsonValueKind.Object && p.Value.GetRawText().Length <= ModelParameters.MaxChars)
            .WithMessage($"must be a JSON object of at most {ModelParameters.MaxChars} characters");
    }
}
