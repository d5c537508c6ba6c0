using System.Security.Cryptography;

namespace Gantry.Agent.Images.Registry;

/// <summary>
/// Copies a blob while hashing it, so that what lands on disk is known to be exactly what its
/// descriptor names: no byte more than its size (a hostile registry cannot fill the disk), and the
/// same sha256 at the end.
/// </summary>
internal static class BlobVerifier
{
    public static async Task CopyAsync(Stream source, Stream target, OciDescriptor blob, Action<long>? progress, CancellationToken cancellationToken)
    {
        if (!blob.Digest.StartsWith("sha256:", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"unsupported digest algorithm in {blob.Digest}");
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (blob.Size >= 0 && total > blob.Size)
            {
                throw new InvalidDataException($"blob {blob.Digest} is longer than the {blob.Size} bytes its descriptor states");
            }

            hash.AppendData(buffer, 0, read);
            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            progress?.Invoke(total);
        }

        if (blob.Size >= 0 && total != blob.Size)
        {
            throw new InvalidDataException($"blob {blob.Digest} ended after {total} of {blob.Size} bytes");
        }

        var actual = "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
        if (actual != blob.Digest)
        {
            throw new InvalidDataException($"digest mismatch: blob {blob.Digest} downloaded with digest {actual}");
        }
    }
}
