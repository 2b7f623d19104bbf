using Ihui.Features.Common.CallLog;
using Ihui.Features.Common.Vendors.IFlytek;

namespace Ihui.Features.IFlytek.PictureToText;

public sealed class IFlytekOcrAdapter(OcrClient ocr, CallContext call)
{
    public const string Model = "xfyun-ocr";

    public Task<string> RecognizeAsync(PictureToTextRequest request, CancellationToken ct)
    {
        call.Vendor = IFlytekOptions.Vendor;
        call.Model = Model;
        return ocr.RecognizeAsync(request.Image, request.Encoding!, ct);
    }
}
