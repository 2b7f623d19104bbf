using Ihui.Features.Common.Pipeline;
using Mediator;

namespace Ihui.Features.IFlytek.PictureToText;

/// <summary>
/// Seed 001/002 <c>POST /PictureToTextModel/chat</c>: a JPEG or PNG body, <c>uuid</c>/<c>username</c> headers → text.
/// Paid with one <c>picTimes</c> use, not tokens.
/// </summary>
public sealed record PictureToTextRequest(ReadOnlyMemory<byte> Image) : IRequest<PictureToTextResult>, ILoggedCall, IUuidUsernameRequest, IPicTimesRequest
{
    public const int MaxBytes = 4 * 1024 * 1024;

    public static string Route => "/PictureToTextModel/chat";

    public string? Uuid { get; init; }
    public string? Username { get; init; }

    /// <summary>The vendor's name for the format, from the magic number; null when it is neither JPEG nor PNG.</summary>
    public string? Encoding => Image.Span switch
    {
        [0xFF, 0xD8, 0xFF, ..] => "jpg",
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] => "png",
        _ => null,
    };
}

public sealed record PictureToTextResult(string Content);
