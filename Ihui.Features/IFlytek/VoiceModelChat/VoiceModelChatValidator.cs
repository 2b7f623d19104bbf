using FluentValidation;

namespace Ihui.Features.IFlytek.VoiceModelChat;

public sealed class VoiceModelChatValidator : AbstractValidator<VoiceModelChatRequest>
{
    public VoiceModelChatValidator()
    {
        RuleFor(r => r.Audio.Length).Cascade(CascadeMode.Stop)
            .GreaterThan(0).WithMessage("is empty: send 16 kHz 16-bit mono PCM as the request body")
            .Must(n => n % 2 == 0).WithMessage("has an odd number of bytes: 16-bit PCM comes in 2-byte samples")
            .GreaterThanOrEqualTo(VoiceModelChatRequest.MinBytes).WithMessage("is too short: send at least 0.1 s (3200 bytes)")
            .LessThanOrEqualTo(VoiceModelChatRequest.MaxBytes).WithMessage($"is longer than {VoiceModelChatRequest.MaxSeconds} s")
            .OverridePropertyName("audio");
    }
}
