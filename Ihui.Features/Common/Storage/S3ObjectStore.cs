using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Ihui.Features.Common.Storage;

/// <summary>
/// An S3-compatible bucket through AWSSDK.S3. Uploads are sent unchunked with a declared length and checksums only
/// where the service requires them: the SDK's default aws-chunked body with trailing checksums is stored verbatim
/// (framing and all) by several non-AWS stores, and refused by others.
/// </summary>
public sealed class S3ObjectStore : IObjectStore, IDisposable
{
    private readonly S3StoreOptions _options;
    private readonly AmazonS3Client _client;

    public S3ObjectStore(S3StoreOptions options)
    {
        _options = options;
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            Timeout = TimeSpan.FromSeconds(60),
            MaxErrorRetry = 2,
        };
        if (options.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString().TrimEnd('/');
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }
        _client = new AmazonS3Client(new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey), config);
    }

    public async Task PutAsync(string name, string contentType, Stream content, CancellationToken ct)
    {
        ObjectNames.EnsureValid(name);
        // An unchunked upload declares its length up front, so a stream that cannot tell it is spooled first.
        Stream? spooled = null;
        if (!content.CanSeek)
        {
            spooled = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
                FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            await content.CopyToAsync(spooled, ct);
            spooled.Position = 0;
        }
        try
        {
            await _client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = _options.Bucket,
                Key = _options.KeyPrefix + name,
                InputStream = spooled ?? content,
                ContentType = contentType,
                UseChunkEncoding = false,
                AutoCloseStream = false,
            }, ct);
        }
        finally
        {
            if (spooled is not null) await spooled.DisposeAsync();
        }
    }

    public async Task<StoredFile?> OpenAsync(string name, CancellationToken ct)
    {
        if (!ObjectNames.IsValid(name)) return null;
        try
        {
            var response = await _client.GetObjectAsync(_options.Bucket, _options.KeyPrefix + name, ct);
            return new StoredFile(response.ResponseStream, response.Headers.ContentType ?? "application/octet-stream", response.ContentLength);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string name, CancellationToken ct)
    {
        if (!ObjectNames.IsValid(name)) return;
        await _client.DeleteObjectAsync(_options.Bucket, _options.KeyPrefix + name, ct);
    }

    public Uri? DirectUrl(string name) =>
        _options.PublicBaseUrl is { } root && ObjectNames.IsValid(name) ? new Uri(root, _options.KeyPrefix + name) : null;

    public void Dispose() => _client.Dispose();
}
