using System.Security.Cryptography;
using Gantry.Agent.IO;

namespace Gantry.Agent.Images;

/// <summary>
/// A read-only pass-through that hashes what flows through it, so a layer is verified against its
/// digest in the same single pass that unpacks it.
/// </summary>
internal sealed class HashingReadStream(Stream inner) : ReadOnlyStream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>Reads whatever the consumer left unread (tar readers stop at the end marker), then
    /// returns "sha256:&lt;hex&gt;" of everything.</summary>
    public async Task<string> DrainAndDigestAsync(CancellationToken cancellationToken)
    {
        await CopyToAsync(Null, cancellationToken);
        return "sha256:" + Convert.ToHexStringLower(_hash.GetHashAndReset());
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        _hash.AppendData(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        _hash.AppendData(buffer.Span[..read]);
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
