using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Vendors.IFlytek;

namespace Ihui.Features.IFlytek.VoiceModelChat;

public sealed class IatDictationAdapter(IatClient iat, CallContext call)
{
    public Task<string> RecognizeAsync(VoiceModelChatRequest request, CancellationToken ct)
    {
        call.Vendor = IFlytekOptions.Vendor;
        return iat.RecognizeAsync(request.Audio, ct);
    }
}
