using Ihui.Features.Common.Storage;
using Ihui.Features.Common.Wallet;
using Mediator;

namespace Ihui.Features.Story.Images;

/// <summary>The upload's body as it arrives (multipart/form-data), read by the handler once the caller is admitted.</summary>
public sealed record UploadImageRequest(string? AccessToken, string? ContentType, Stream Body) : IRequest<UploadedImage>, IWalletRequest;

public sealed record UploadedImage(string Url, string Filename);

public sealed record GetImageRequest(string Filename) : IRequest<StoredFile>;
