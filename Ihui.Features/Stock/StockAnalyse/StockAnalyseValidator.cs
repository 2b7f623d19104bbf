using FluentValidation;

namespace Ihui.Features.Stock.StockAnalyse;

public sealed class StockAnalyseValidator : AbstractValidator<StockAnalyseRequest>
{
    public StockAnalyseValidator()
    {
        RuleFor(r => r.StockCode).NotEmpty();
        RuleFor(r => r.StockCode).MaximumLength(16)
            .Must(c => StockAnalyseRequest.StockCodePattern().IsMatch((c ?? "").Trim().ToUpperInvariant()))
            .When(r => !string.IsNullOrEmpty(r.StockCode))
            .WithMessage("must be an A-share code (600519, SH600519, 600519.SH), a Hong Kong code (00700.HK) or a US ticker (AAPL)");
        RuleFor(r => r.AnalysisType).Must(t => t is null || StockAnalyseRequest.AnalysisTypes.Contains(t))
            .WithMessage($"must be one of {string.Join(", ", StockAnalyseRequest.AnalysisTypes)}");
        RuleFor(r => r.ChatId).MaximumLength(128);
    }
}
