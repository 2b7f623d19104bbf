using FluentValidation;
using Ihui.Features.Common.Validation;
using Ihui.Features.Common.Vendors.Jimeng;

namespace Ihui.Features.Jimeng.JimengImageToVideo;

public sealed class JimengImageToVideoValidator : AbstractValidator<JimengImageToVideoRequest>
{
    public JimengImageToVideoValidator()
    {
        RuleFor(r => r.ReqKey).Must(k => k is not null && JimengImageToVideoRequest.ReqKeys.Contains(k))
            .WithMessage($"unknown req_key; known: {string.Join(", ", JimengImageToVideoRequest.ReqKeys)}");
        RuleFor(r => r.Prompt).NotEmpty().MaximumLength(800);
        RuleFor(r => r.ImageUrl).MustBeHttpUrl();
        RuleForEach(r => r.ImageUrls).Must(CommonRules.IsHttpUrl).WithMessage("must be an absolute http(s) URL").OverridePropertyName("image_urls");
        RuleFor(r => r.Images).Must((r, images) => r.ReqKey is null || !JimengVideoPayload.ReqKeys.TryGetValue(r.ReqKey, out var n)
                                                   || (images.Count >= n.Min && images.Count <= n.Max))
            .WithMessage(r => $"{r.ReqKey} takes {(JimengVideoPayload.ReqKeys.TryGetValue(r.ReqKey ?? "", out var n) ? n.Max : 0)} image(s) in image_url/image_urls")
            .OverridePropertyName("image_url");
        RuleFor(r => r.Duration).Must(d => d is null or 5 or 10).WithMessage("must be 5 or 10 (seconds)");
        RuleFor(r => r.Size).Matches(@"^\d{2,4}[*xX]\d{2,4}$").When(r => r.Size is not null).WithMessage("must be W*H");
        RuleFor(r => r.ChatId).MaximumLength(128);
        RuleFor(r => r.IdempotencyKey).MaximumLength(128).OverridePropertyName("Idempotency-Key");
    }
}
