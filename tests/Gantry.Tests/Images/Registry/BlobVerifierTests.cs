using System.Text;
using Gantry.Agent.Images;
using Gantry.Agent.Images.Registry;
using Xunit;

namespace Gantry.Tests.Images.Registry;

public sealed class BlobVerifierTests
{
    private static readonly byte[] Content = Encoding.UTF8.GetBytes("layer bytes");

    private static OciDescriptor Descriptor(string digest, long size) =>
        new("application/vnd.oci.image.layer.v1.tar", digest, size, new Dictionary<string, string>(), null, null);

    [Fact]
    public async Task A_blob_matching_its_digest_and_size_is_copied_whole_with_progress()
    {
        using var target = new MemoryStream();
        var reported = new List<long>();

        await BlobVerifier.CopyAsync(new MemoryStream(Content), target, Descriptor(FakeRegistry.Digest(Content), Content.Length), reported.Add, CancellationToken.None);

        Assert.Equal(Content, target.ToArray());
        Assert.Equal(Content.Length, reported[^1]);
    }

    [Fact]
    public async Task A_blob_with_another_digest_is_rejected()
    {
        var other = FakeRegistry.Digest(Encoding.UTF8.GetBytes("something else"));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            BlobVerifier.CopyAsync(new MemoryStream(Content), new MemoryStream(), Descriptor(other, Content.Length), null, CancellationToken.None));

        Assert.Contains("digest mismatch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_blob_longer_than_its_descriptor_is_cut_off() =>
        await Assert.ThrowsAsync<InvalidDataException>(() =>
            BlobVerifier.CopyAsync(new MemoryStream(Content), new MemoryStream(), Descriptor(FakeRegistry.Digest(Content), 4), null, CancellationToken.None));

    [Fact]
    public async Task A_truncated_blob_is_rejected() =>
        await Assert.ThrowsAsync<InvalidDataException>(() =>
            BlobVerifier.CopyAsync(new MemoryStream(Content), new MemoryStream(), Descriptor(FakeRegistry.Digest(Content), Content.Length + 1), null, CancellationToken.None));
}
